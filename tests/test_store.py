"""The store: transactions, no duplicates, people merged across documents, search, quotes."""

from __future__ import annotations

import pytest
from sqlalchemy import insert

from detente.records import Document, Evidence, Extraction, Mention, Person, Position, Problem, Quote, Span
from detente.store import Store
from detente.store import schema as s
from detente.store.database import database_url, describe_url


def make_extraction(
    doc_id: str, text: str, people: list[tuple[str, str | None]], quotes: list[tuple[str, str]]
):
    doc = Document(
        doc_id, f"{doc_id}.txt", f"/tmp/{doc_id}.txt", text, f"Title {doc_id}", "2025-03-18", "metadata", "en"
    )
    persons = []
    for name, role in people:
        at = text.find(name.split()[-1])
        persons.append(
            Person(
                name,
                role,
                None,
                "Ukraine",
                "m",
                [Mention(at, at + len(name.split()[-1]), name.split()[-1], "surname")],
            )
        )
    qs = []
    for speaker, words in quotes:
        at = text.find(words)
        qs.append(
            Quote(words, "direct", at, at + len(words), speaker, Span(0, 1, text[0]), "said", None, text, 0.9)
        )
    ev = Evidence(0, len(text), text, text)
    pos = [Position("Ukraine", "ceasefire", "accept", ev, speaker=None, date="2025-03-18")]
    return Extraction(doc, persons, qs, positions=pos)


@pytest.fixture
def store(db_url):
    """The same behaviour on every backend: each test runs on SQLite and on PostgreSQL."""
    with Store(db_url) as st:
        yield st


TEXT_A = "Zelenskyy said the ceasefire must hold. “We accept a thirty-day truce,” he said in Kyiv."
TEXT_B = "Zelenskiy met envoys on energy infrastructure. “Strikes on power plants must stop,” he said."


def test_add_is_idempotent(store):
    ex = make_extraction(
        "a1",
        TEXT_A,
        [("Volodymyr Zelenskyy", "President")],
        [("Volodymyr Zelenskyy", "We accept a thirty-day truce")],
    )
    assert store.add(ex) is True
    assert store.add(ex) is False
    assert store.has("a1")
    stats = store.stats()
    assert stats["documents"] == 1 and stats["quotes"] == 1 and stats["positions"] == 1


def test_failed_write_leaves_nothing_half_written(store, monkeypatch):
    ex = make_extraction(
        "a1",
        TEXT_A,
        [("Volodymyr Zelenskyy", "President")],
        [("Volodymyr Zelenskyy", "We accept a thirty-day truce")],
    )
    real = store._add

    def broken(conn, extraction):
        real(conn, extraction)
        conn.execute(
            insert(s.quotes).values(
                document_id=None, text="x", kind="direct", start=0, end=1, sentence="x", confidence=1
            )
        )

    monkeypatch.setattr(store, "_add", broken)
    with pytest.raises(Exception):  # noqa: B017 - any database error
        store.add(ex)
    monkeypatch.undo()
    assert store.stats()["documents"] == 0 and store.stats()["people"] == 0
    assert store.add(ex) is True  # and the document can be stored afterwards


def test_people_merge_across_spellings_but_not_relatives(store):
    store.add(make_extraction("a1", TEXT_A, [("Volodymyr Zelenskyy", "President"), ("Joe Biden", None)], []))
    store.add(
        make_extraction(
            "b2",
            TEXT_B + " Biden",
            [("Volodymyr Zelenskiy", "President of Ukraine"), ("Hunter Biden", None)],
            [],
        )
    )
    people = {p.name: p for p in store.people()}
    assert "Volodymyr Zelenskyy" in people and "Volodymyr Zelenskiy" not in people
    assert people["Volodymyr Zelenskyy"].documents == 2
    assert "President of Ukraine" in people["Volodymyr Zelenskyy"].roles
    assert "Joe Biden" in people and "Hunter Biden" in people


def test_quotes_by_full_name_or_surname(store):
    store.add(
        make_extraction(
            "a1",
            TEXT_A,
            [("Volodymyr Zelenskyy", "President")],
            [("Volodymyr Zelenskyy", "We accept a thirty-day truce")],
        )
    )
    assert len(store.quotes(speaker="Volodymyr Zelenskyy")) == 1
    assert len(store.quotes(speaker="zelenskyy")) == 1
    assert store.quotes(speaker="Putin") == []


def test_search_ranks_and_highlights(store):
    store.add(make_extraction("a1", TEXT_A, [], []))
    store.add(make_extraction("b2", TEXT_B, [], []))
    hits = store.search("power plants")
    assert [h.doc_id for h in hits] == ["b2"]
    assert "[[power]]" in hits[0].snippet.lower() or "[[power" in hits[0].snippet.lower()
    assert store.search('"thirty-day truce"')[0].doc_id == "a1"


def test_search_never_fails_on_hostile_input(store):
    store.add(make_extraction("a1", TEXT_A, [], []))
    for query in ['"', "(", "AND OR NOT", "NEAR(", "*", "", "truce*)", "' OR 1=1 --", "a & b | !c", "x:*"]:
        assert isinstance(store.search(query), list), query
    assert [h.doc_id for h in store.search("truce*)")] == ["a1"]


def test_problems_and_positions_are_kept(store):
    store.record_problem(Problem("bad.bin", "binary data, not text"))
    store.add(make_extraction("a1", TEXT_A, [], []))
    assert store.stats()["problems"] == 1
    rows = store.positions(actor="ukraine", issue="ceasefire")
    assert len(rows) == 1 and rows[0].stance == "accept" and rows[0].date == "2025-03-18"


def test_two_stores_on_one_database(db_url):
    path = db_url
    ex = make_extraction("a1", TEXT_A, [("Volodymyr Zelenskyy", "President")], [])
    with Store(path) as one, Store(path) as two:
        assert one.add(ex) is True
        assert two.add(ex) is False
        assert two.stats()["documents"] == 1


def test_reopen_keeps_data(db_url):
    path = db_url
    with Store(path) as st:
        st.add(make_extraction("a1", TEXT_A, [], []))
    with Store(path) as st:
        assert st.has("a1") and st.document("a1").text == TEXT_A


def test_opening_an_older_store_brings_its_indexes_up_to_date(tmp_path):
    from sqlalchemy import inspect, text

    db = str(tmp_path / "old.db")
    with Store(db) as st, st.engine.begin() as conn:  # as a store made before the index changed
        conn.execute(text("DROP INDEX ix_quotes_speaker_document"))
        conn.execute(text("CREATE INDEX ix_quotes_speaker ON quotes (speaker_person_id)"))
        conn.execute(text("DROP INDEX ix_person_roles_person_role"))
        conn.execute(text("CREATE INDEX ix_person_roles_person ON person_roles (person_id)"))
    with Store(db) as st:
        quotes = {i["name"] for i in inspect(st.engine).get_indexes("quotes")}
        roles = {i["name"] for i in inspect(st.engine).get_indexes("person_roles")}
    assert "ix_quotes_speaker_document" in quotes and "ix_quotes_speaker" not in quotes
    assert roles == {"ix_person_roles_person_role"}


def test_database_urls():
    assert database_url("x.db").startswith("sqlite:///") and database_url("x.db").endswith("/x.db")
    assert database_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert database_url("postgres://u:pw@h:5433/db") == "postgresql+psycopg://u:pw@h:5433/db"
    assert database_url("postgresql+psycopg://u@h/db") == "postgresql+psycopg://u@h/db"
    assert "secret" not in describe_url("postgresql://u:secret@h/db")


def test_search_folds_accents_and_ignores_case(store):
    store.add(make_extraction("g1", "Talks in Genève resumed on Tuesday. " + TEXT_A, [], []))
    store.add(make_extraction("b2", TEXT_B, [], []))
    assert [h.doc_id for h in store.search("geneve")] == ["g1"]
    assert [h.doc_id for h in store.search("GENÈVE")] == ["g1"]
    assert [h.doc_id for h in store.search("energy zelenskiy")] == ["b2"]
    assert store.search("energy kyiv") == []  # every word is required


def test_plain_postgresql_url_and_environment(pg_url, monkeypatch):
    from detente.config import Settings

    plain = pg_url.replace("postgresql+psycopg://", "postgresql://")
    monkeypatch.setenv("DETENTE_DB", plain)
    with Store(Settings.from_env().db) as st:
        assert st.engine.dialect.name == "postgresql" and st.add(make_extraction("a1", TEXT_A, [], []))
    with Store(pg_url) as st:
        assert st.has("a1")


def test_same_problem_twice_is_logged_once(store):
    store.record_problem(Problem("bad.bin", "binary data, not text"))
    store.record_problem(Problem("bad.bin", "binary data, not text"))
    store.record_problem(Problem("bad.bin", "empty file"))
    assert store.stats()["problems"] == 2


def test_concurrent_writers_store_each_document_and_person_once(db_url):
    """Eight threads, each with its own Store (own connections), write overlapping documents naming
    the same people in different spellings: one copy of each document, one row per person."""
    from concurrent.futures import ThreadPoolExecutor

    names = [("Volodymyr Zelenskyy", "President"), ("Volodymyr Zelenskiy", None), ("Joe Biden", None)]
    extractions = [
        make_extraction(f"d{i}", f"{TEXT_A} Biden ({i})", [names[i % 3], names[(i + 1) % 3]], [])
        for i in range(12)
    ]
    with Store(db_url):
        pass  # the schema first, as an ingest does before its workers start

    def write(offset: int) -> list[bool]:
        with Store(db_url) as st:
            return [st.add(extractions[(offset + k) % 12]) for k in range(12)]

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(write, range(8)))
    assert sum(sum(r) for r in results) == 12
    with Store(db_url) as st:
        assert st.stats()["documents"] == 12
        people = {p.name: p.documents for p in st.people()}
    assert len(people) == 2 and people.get("Joe Biden") == 8
