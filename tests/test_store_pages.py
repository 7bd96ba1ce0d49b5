"""Page queries: the stance history of a party or issue equals what the straightforward reduction
(sort, group, pick each day's most confident statement) gives, on a store made to have several
statements a day, equally confident ones, undated and analysts' ones, and more than the limit."""

from __future__ import annotations

import random
from itertools import groupby

import pytest
from sqlalchemy import func, select

from detente.records import Document, Evidence, Extraction, Position
from detente.store import Store, pages
from detente.store import schema as s
from detente.store.rows import StancePoint

PARTIES = ("Aland", "Borduria", "Syldavia")
ISSUES = ("ceasefire", "prisoners", "territory")
STANCES = ("demand", "offer", "accept", "reject")
DAYS = [f"2025-0{m}-{d:02d}" for m in (3, 4) for d in (1, 2, 3, 5, 8, 13)]


def python_history(conn, column, value: str, limit: int) -> list[StancePoint]:
    """The reduction as the party and issue pages did it before it was reworked for speed."""
    ps = s.positions
    rows = conn.execute(
        select(ps.c.actor, ps.c.issue, ps.c.date, ps.c.stance, ps.c.confidence)
        .where(column == value, ps.c.source_kind != "analyst", ps.c.date.is_not(None))
        .order_by(ps.c.date.desc(), ps.c.id.desc())
        .limit(limit)
    ).all()
    ordered = sorted(rows, key=lambda r: (r[0], r[1], r[2], -r[4]))
    out: list[StancePoint] = []
    for _, series in groupby(ordered, key=lambda r: (r[0], r[1])):
        run: StancePoint | None = None
        for _day, same_day in groupby(series, key=lambda r: r[2]):
            actor, issue, date, stance, conf = next(same_day)
            if run is not None and run.stance == stance:
                run = StancePoint(
                    actor, issue, run.date, stance, max(run.confidence, conf), run.days + 1, date
                )
                continue
            if run is not None:
                out.append(run)
            run = StancePoint(actor, issue, date, stance, float(conf), 1, date)
        if run is not None:
            out.append(run)
    out.sort(key=lambda p: (p.date, p.actor, p.issue))
    return out


def article(n: int, rng: random.Random) -> Extraction:
    """One made-up article: several statements on few days with few confidence values, so the
    same day often has several statements (and ties); some by analysts, some undated."""
    text = f"Article {n}. " + " ".join(f"Statement {k}." for k in range(6))
    ev = Evidence(0, 10, text[:10], text)
    positions = [
        Position(
            rng.choice(PARTIES),
            rng.choice(ISSUES),
            rng.choice(STANCES),
            ev,
            source_kind=rng.choice(("own", "own", "reported", "analyst")),
            confidence=rng.choice((0.5, 0.7, 0.9)),
            date=None if rng.random() < 0.1 else rng.choice(DAYS),
        )
        for _ in range(rng.randint(1, 6))
    ]
    doc = Document(
        f"doc{n}", f"doc{n}.txt", f"/tmp/doc{n}.txt", text, f"Title {n}", DAYS[0], "metadata", "en"
    )
    return Extraction(doc, [], [], positions)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    rng = random.Random(7)
    with Store(str(tmp_path_factory.mktemp("pages") / "p.db")) as st:
        for n in range(120):
            st.add(article(n, rng))
        yield st


FULL = pages.HISTORY_STATEMENTS


@pytest.mark.parametrize("limit", [FULL, 40, 7])
def test_history_equals_the_straightforward_reduction(store, monkeypatch, limit):
    monkeypatch.setattr(pages, "HISTORY_STATEMENTS", limit)
    ps = s.positions
    with store.engine.connect() as conn:
        for column, values in ((ps.c.actor, PARTIES), (ps.c.issue, ISSUES)):
            for value in values:
                want = python_history(conn, column, value, limit)
                assert want, "the made-up store gives every party and issue a history"
                assert pages._history(conn, column, value) == want
        if limit < FULL:  # the limit cuts into the statements
            assert len(conn.execute(select(ps.c.id).where(ps.c.actor == PARTIES[0])).all()) > limit
            return
        # what makes the reduction non-trivial is really there: days with several statements,
        # equally confident ones among them, and runs of one stance over several days
        days = conn.execute(
            select(ps.c.actor, ps.c.issue, ps.c.date, ps.c.confidence)
            .where(ps.c.source_kind != "analyst", ps.c.date.is_not(None))
            .group_by(ps.c.actor, ps.c.issue, ps.c.date, ps.c.confidence)
            .having(func.count() > 1)
        ).all()
        assert len(days) > 5
    assert any(p.days > 1 for p in store.actor(PARTIES[0]).history)
