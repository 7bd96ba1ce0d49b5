"""Stance histories across articles and the shifts in them."""

from __future__ import annotations

from detente.store.history import shifts, stance_histories
from detente.store.rows import PositionRow


def row(
    n: int, actor: str, stance: str, date: str | None, kind: str = "narrative", conf: float = 0.6
) -> PositionRow:
    return PositionRow(
        n,
        f"d{n}",
        f"d{n}.txt",
        actor,
        "ceasefire",
        stance,
        None,
        kind,
        False,
        False,
        conf,
        date,
        f"ev{n}",
        f"s{n}",
    )


def test_rejection_then_offer_is_a_shift_with_both_pieces_of_evidence():
    rows = [
        row(1, "Russia", "reject", "2025-03-18"),
        row(2, "Russia", "offer", "2025-04-19"),
        row(3, "Ukraine", "accept", "2025-03-11"),
        row(4, "Ukraine", "demand", "2025-05-16"),
    ]
    (s,) = shifts(rows)
    assert (s.actor, s.before.evidence, s.after.evidence) == ("Russia", "ev1", "ev2")
    assert "reject (2025-03-18) -> offer (2025-04-19)" in s.describe()


def test_same_day_keeps_the_most_confident_and_analysts_are_left_out():
    rows = [
        row(1, "Iran", "reject", "2025-06-24", conf=0.6),
        row(2, "Iran", "accept", "2025-06-24", kind="own", conf=0.9),
        row(3, "Iran", "reject", "2025-06-25", kind="analyst", conf=0.4),
        row(4, "Iran", "offer", None),
    ]
    (h,) = stance_histories(rows)
    assert [r.stance for r in h.days] == ["accept"]
    assert [r.stance for r in h.undated] == ["offer"]
    assert h.shifts == []
    (with_analysts,) = stance_histories(rows, include_analysts=True)
    assert [r.stance for r in with_analysts.days] == ["accept", "reject"] and len(with_analysts.shifts) == 1


def test_examples_timeline_has_a_real_shift(db_url, examples_dir):
    from detente.config import Settings
    from detente.pipeline import ingest
    from detente.store import Store

    with Store(db_url) as store:
        report = ingest([str(examples_dir)], store, Settings())
        assert report.stored >= 12 and report.duplicates == 0
        again = ingest([str(examples_dir)], store, Settings())
        assert again.stored == 0 and again.duplicates == report.stored
        found = shifts(store.positions())
        assert any(s.before.doc_id != s.after.doc_id and s.before.date < s.after.date for s in found)
        assert store.agreements() and store.events()
