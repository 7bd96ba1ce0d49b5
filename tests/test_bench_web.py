"""The web benchmark runs end to end on a small generated store and reports what it says."""

from __future__ import annotations

from detente.bench.web import fill_store, run


def test_web_bench_times_each_page_with_its_cpu(tmp_path):
    db = tmp_path / "bench.db"
    assert fill_store(db, 80) == 80
    assert fill_store(db, 80) == 0  # the same articles again add nothing
    timings = run(db, requests=10)
    assert [t.what.split(":")[0].split(" /")[0] for t in timings] == [
        "baseline",
        "party page",
        "search page",
        "search API",
    ]
    for t in timings:
        assert t.requests == 10 and 0 < t.p50_ms <= t.p95_ms <= t.max_ms
        assert t.cpu_ms > 0 and set(t.to_dict()) >= {"p50_ms", "p95_ms", "cpu_ms"}
