"""The arithmetic of the proxy and worker parts of `make bench` (no processes, no timing)."""

from tests.perf.proxybench import CEILING, DIRECT_CEILING, add_growth
from tests.perf.workerbench import latency_summary, percentile, span


def run(page, processes, rps, via="nginx", spread=None):
    return {"page": page, "processes": processes, "rps": rps, "via": via, "spread": spread or {}}


def test_growth_per_process_and_against_the_ceiling():
    runs = [
        run(CEILING, 1, 400.0, spread={"a": 10}),
        run(CEILING, 2, 600.0, spread={"a": 6, "b": 4}),
        run("home", 1, 100.0),
        run("home", 2, 150.0, spread={"a": 5, "b": 5}),
        run(DIRECT_CEILING, 1, 500.0, via="direct"),
    ]
    add_growth(runs)
    home_2 = runs[3]
    assert home_2["rps_per_process"] == 75.0
    assert home_2["growth"] == 1.5  # against home with one process
    assert home_2["ratio_to_ceiling"] == 0.25  # against the ceiling with two processes
    assert home_2["busiest_process_share"] == 0.5
    assert runs[1]["busiest_process_share"] == 0.6
    assert runs[2]["busiest_process_share"] is None  # no access log lines: not known
    assert runs[4]["ratio_to_ceiling"] is None  # not through nginx: not comparable
    assert runs[4]["growth"] is None


def test_percentiles_are_nearest_rank_in_milliseconds():
    waits = [0.001 * n for n in range(1, 101)]  # 1 ms .. 100 ms
    assert percentile(waits, 50) == 0.05
    assert latency_summary(waits) == {"count": 100, "p50_ms": 50.0, "p99_ms": 99.0, "max_ms": 100.0}
    assert latency_summary([]) == {"count": 0, "p50_ms": None, "p99_ms": None, "max_ms": None}


def test_span_runs_from_the_first_start_to_the_last_finish():
    entries = [{"starts": [10.0, 12.0], "ends": [11.0, 13.0]}, {"starts": [9.5], "ends": [14.0]}]
    assert span(entries) == 4.5
    assert span([{"starts": [], "ends": []}]) is None
