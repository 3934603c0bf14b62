"""Benchmark the computing: how a JSON build grows with the number of reports, and a site's compute.

Writes two synthetic packs (``bench.make_project``: 20 and 80 reports × 25 measures × 36 months),
builds each as JSON in a fresh process and reports its CPU time (user + system: less disturbed by
other work on the machine than the wall clock) and peak memory, their ratio (the rows grow 4×: the
goal is a ratio of 4 or less), and the CPU time of the 20-report pack's site for 12 month-ends
without its pages and PDFs (loading, then computing and viewing every report as at every date).

    python scripts/bench_compute.py [--reports 20] [--times 4]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import AS_AT, make_project

SITE_COMPUTE = """
import json, sys, time
from datetime import date
from pathlib import Path
from ncc_scorecard import build
root, history = Path(sys.argv[1]), int(sys.argv[2])
start = time.process_time()
dates = build.report_dates([date.fromisoformat(sys.argv[3])], history)
project = build.load_project(root, max(dates))
loaded = time.process_time()
build._editions(project, dates, ())
print(json.dumps({"load": loaded - start, "compute": time.process_time() - loaded}))
"""


def child_cpu(command: list[str]) -> tuple[float, int]:
    """The CPU seconds (user + system) and peak memory in KB of a command run to its end."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime, after.ru_maxrss


def json_build(project: Path, out: Path) -> tuple[float, int]:
    """CPU seconds and peak memory of ``build --format json`` of a pack."""
    command = [sys.executable, "-m", "ncc_scorecard", "build", "--project", str(project)]
    return child_cpu([*command, "--as-at", AS_AT, "--format", "json", "-q", "--out", str(out)])


def figures(reports: int = 20, times: int = 4, history: int = 12) -> dict[str, float]:
    """The figures, from packs of ``reports`` and ``times`` × ``reports`` reports."""
    with tempfile.TemporaryDirectory() as folder:
        small, large = Path(folder) / "small", Path(folder) / "large"
        make_project(small, reports, 25, 36)
        make_project(large, reports * times, 25, 36)
        small_cpu, _ = json_build(small, Path(folder) / "out-small")
        large_cpu, large_memory = json_build(large, Path(folder) / "out-large")
        site = subprocess.run(
            [sys.executable, "-c", SITE_COMPUTE, str(small), str(history), AS_AT],
            check=True,
            capture_output=True,
            text=True,
        )
        compute = json.loads(site.stdout)
    return {
        "json_small_cpu_s": round(small_cpu, 2),
        "json_large_cpu_s": round(large_cpu, 2),
        "json_ratio": round(large_cpu / small_cpu, 2),
        "json_large_peak_mb": round(large_memory / 1024),
        "site_load_cpu_s": round(compute["load"], 2),
        "site_compute_cpu_s": round(compute["compute"], 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=20)
    parser.add_argument("--times", type=int, default=4)
    args = parser.parse_args()
    for name, value in figures(args.reports, args.times).items():
        print(f"{name}: {value}")


if __name__ == "__main__":
    main()
