"""Crash safety: `detente ingest` killed with SIGKILL at random moments, then run again.

A reference run ingests a generated corpus into its own database. Then 20 trials each start
the same ingest on a working database and kill it (SIGKILL, the whole process group): every
other trial at a moment drawn (seeded) between the reference run's first stored document and
its end, the others a random 0-300 ms after the run's first commit, in the middle of a burst of
writes. After
every kill the working database is checked: SQLite's integrity check and the full-text index's
own check pass, no document is stored twice, every stored document has exactly the rows the
reference run stored for it, and no person is left without a document. Trials go on from what
the previous one left; once a trial's database holds everything it starts empty again. At the
end the ingest runs to completion and the whole database equals the reference.

Also: two ingests of overlapping inputs at the same time into one PostgreSQL database.
"""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from detente.bench.corpus import write_corpus
from detente.store import Store
from detente.store.snapshot import by_document, snapshot

pytestmark = [pytest.mark.slow, pytest.mark.reliability, pytest.mark.timeout(1800)]

KILLS = 20
N = 150  # articles: more than two of the extractor's chunks of 64, so writes come in bursts
SEED = 20250518


def ingest_cmd(cli: list[str], corpus: Path, db: str) -> list[str]:
    return [*cli, "ingest", str(corpus), "--db", db]


def stored_count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.Error:
        return 0  # the schema is not there yet


def check_database(db: Path, reference: dict) -> int:
    """The checks after a kill; how many documents the database holds."""
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.execute("INSERT INTO documents_fts(documents_fts) VALUES ('integrity-check')")
        n, distinct = conn.execute("SELECT count(*), count(DISTINCT doc_id) FROM documents").fetchone()
        assert n == distinct
        (indexed,) = conn.execute("SELECT count(*) FROM documents_fts").fetchone()
        assert indexed == n
        orphans = conn.execute(
            "SELECT count(*) FROM persons p WHERE NOT EXISTS "
            "(SELECT 1 FROM person_roles r WHERE r.person_id = p.id)"
        ).fetchone()[0]
        assert orphans == 0
    with Store(str(db)) as store:
        docs = by_document(snapshot(store))
    for doc_id, rows in docs.items():
        assert rows == reference[doc_id], f"document {doc_id} differs from the reference run"
    return len(docs)


def test_sigkill_at_random_moments_then_rerun(tmp_path, detente_cli, reliability_log):
    corpus = tmp_path / "corpus"
    write_corpus(corpus, N, per_file=50, brief=True)
    ref_db = tmp_path / "reference.db"
    t0 = time.perf_counter()
    proc = subprocess.Popen(ingest_cmd(detente_cli, corpus, str(ref_db)), stderr=subprocess.DEVNULL)
    first_write = None
    while proc.poll() is None:
        if first_write is None and stored_count(ref_db) > 0:
            first_write = time.perf_counter() - t0
        time.sleep(0.05)
    duration = time.perf_counter() - t0
    assert proc.returncode == 0
    with Store(str(ref_db)) as store:
        full_reference = snapshot(store)
    reference = by_document(full_reference)
    assert len(reference) == N
    first_write = first_write or duration / 2

    rng = random.Random(SEED)
    db = tmp_path / "work.db"
    mid_ingest = completed_early = 0
    for trial in range(KILLS):
        before = stored_count(db)
        proc = subprocess.Popen(
            ingest_cmd(detente_cli, corpus, str(db)), stderr=subprocess.DEVNULL, start_new_session=True
        )
        if trial % 2 == 0:  # a moment in time
            deadline = time.perf_counter() + rng.uniform(first_write * 0.8, duration)
        else:  # a moment while documents are being written: after this run's first commit
            deadline = time.perf_counter() + duration
            while proc.poll() is None and stored_count(db) <= before and time.perf_counter() < deadline:
                time.sleep(0.01)
            deadline = time.perf_counter() + rng.uniform(0, 0.3)
        while proc.poll() is None and time.perf_counter() < deadline:
            time.sleep(0.005)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            completed_early += 1
        proc.wait()
        held = check_database(db, reference) if db.exists() else 0
        mid_ingest += before < held < N
        if held == N:
            for path in tmp_path.glob("work.db*"):
                path.unlink()
    done = subprocess.run(ingest_cmd(detente_cli, corpus, str(db)), capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    assert check_database(db, reference) == N
    with Store(str(db)) as store:
        assert snapshot(store) == full_reference
    reliability_log(
        "crash",
        {"kills": KILLS, "ok": KILLS, "mid_ingest": mid_ingest, "finished_before_kill": completed_early},
    )
    assert mid_ingest >= KILLS // 4  # many kills landed after some but not all documents were stored


def test_two_concurrent_ingests_into_one_postgresql_database(tmp_path, pg_url, detente_cli, reliability_log):
    corpus = tmp_path / "corpus"
    files = write_corpus(corpus, 60, per_file=20)
    first, second = [str(files[0]), str(files[1])], [str(files[1]), str(files[2])]
    with Store(str(tmp_path / "reference.db")) as ref:
        from detente.config import Settings
        from detente.pipeline import ingest

        ingest([str(corpus)], ref, Settings())
        reference = snapshot(ref)
    procs = [
        subprocess.Popen([*detente_cli, "ingest", *inputs, "--db", pg_url], stderr=subprocess.PIPE, text=True)
        for inputs in (first, second)
    ]
    errors = [p.communicate(timeout=600)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    assert all(" 0 skipped" in e and "Traceback" not in e and "ERROR" not in e for e in errors), errors
    stored = [int(re.search(r"(\d+) stored, (\d+) already known", e).group(1)) for e in errors]
    assert sum(stored) == 60
    with Store(pg_url) as store:
        got = snapshot(store)
        stats = store.stats()
    assert stats["documents"] == 60 and stats["problems"] == 0
    # People are merged in whatever order the two ingests stored their documents, so rows are
    # compared without the person they point to; each person is still stored once.
    unlinked = {"person_id", "speaker_person_id"}

    def strip(snap: dict) -> dict:
        return {
            t: sorted((tuple(c for c in r if c[0] not in unlinked) for r in rows), key=repr)
            for t, rows in snap.items()
            if t != "persons"
        }

    assert strip(got) == strip(reference)
    keys = [dict(r)["name_key"] for r in got["persons"]]
    assert len(keys) == len(set(keys)) and abs(len(keys) - len(reference["persons"])) <= 2
    reliability_log("concurrent_postgresql", {"documents": 60, "duplicates": 0, "errors": 0})
