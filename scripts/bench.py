"""Benchmark a monthly pack: 20 reports × 25 measures × 36 months of monthly results.

Prints, from one run: the full build's wall time, plain WeasyPrint rendering the same HTML files
one after another in one process, their ratio, the share of rendering spent mending the PDFs'
structure trees (render/pdf_tags.py), the no-change rebuild time and peak memory.

    python scripts/bench.py [--reports 20] [--measures 25] [--months 36] [--jobs N]
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AS_AT = "2019-03-31"


def make_project(root: Path, reports: int, measures: int, months: int) -> None:
    """Write a synthetic project: monthly percentage and number measures with targets and comments."""
    (root / "data").mkdir(parents=True)
    lines = ["organisation: Benchmark Borough Council", "reports:"]
    for r in range(reports):
        ids = ", ".join(f"m{r:02d}-{m:02d}" for m in range(measures))
        lines += [f"  - id: report-{r:02d}", f"    title: Service area {r + 1}", f"    measures: [{ids}]"]
    lines.append("measures:")
    for r in range(reports):
        for m in range(measures):
            percentage = m % 2 == 0
            lines += [
                f"  - id: m{r:02d}-{m:02d}",
                f"    title: Measure {m + 1} of service area {r + 1}, a realistic length of title for a committee",
                f"    unit: {'percentage' if percentage else 'number'}",
                f"    polarity: {'higher' if m % 3 else 'lower'}",
                "    frequency: monthly",
                f"    decimals: {1 if percentage else 0}",
                f"    targets: {80 if percentage else 500}",
                "    tolerance: 5%",
                "    direction: previous_year",
                "    underlying: '{numerator} of {denominator}.'" if percentage else "    outturn: sum",
            ]
    (root / "measures.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    end_year, end_month = 2019, 3
    with (root / "data" / "results.csv").open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["measure", "period", "value", "numerator", "denominator", "comment", "action"])
        for r in range(reports):
            for m in range(measures):
                for back in range(months - 1, -1, -1):
                    index = end_year * 12 + end_month - 1 - back
                    period = f"{index // 12}-{index % 12 + 1:02d}"
                    wobble = ((r * 7 + m * 13 + back * 5) % 21) - 10
                    latest = back == 0
                    comment = (
                        "Performance this month reflects the work described in the service plan. "
                        "Managers review the figures weekly and the trend is discussed with partners. " * 2
                        if latest
                        else ""
                    )
                    action = "Continue the improvement plan and report progress next month." if latest else ""
                    if m % 2 == 0:
                        denominator = 200 + (m * 11 + back) % 50
                        numerator = round(denominator * (0.8 + wobble / 100))
                        writer.writerow([f"m{r:02d}-{m:02d}", period, "", numerator, denominator, comment, action])
                    else:
                        writer.writerow([f"m{r:02d}-{m:02d}", period, 500 + wobble * 7, "", "", comment, action])


def timed(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True)
    return time.perf_counter() - start


def plain_weasyprint(html_files: list[Path]) -> float:
    """The baseline: one process rendering each HTML file with WeasyPrint's defaults, one after another."""
    code = (
        "import sys, time\n"
        "from weasyprint import HTML\n"
        "start = time.perf_counter()\n"
        "for name in sys.argv[1:]:\n"
        "    HTML(filename=name).write_pdf()\n"
        "print(time.perf_counter() - start)\n"
    )
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code, *map(str, html_files)], check=True, capture_output=True)
    return time.perf_counter() - start


def mending_share(html_files: list[Path]) -> tuple[float, float]:
    """Seconds spent rendering the HTML files with the tool's renderer, and of those, seconds spent
    mending the structure tree (render/pdf_tags.py) after WeasyPrint."""
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from ncc_scorecard.render import pdf\n"
        "spent = [0.0]\n"
        "mend = pdf.mend\n"
        "def timed_mend(*args):\n"
        "    start = time.perf_counter()\n"
        "    result = mend(*args)\n"
        "    spent[0] += time.perf_counter() - start\n"
        "    return result\n"
        "pdf.mend = timed_mend\n"
        "start = time.perf_counter()\n"
        "for name in sys.argv[1:]:\n"
        "    pdf.render_pdf(Path(name).read_text(encoding='utf-8'))\n"
        "print(time.perf_counter() - start, spent[0])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *map(str, html_files)], check=True, capture_output=True, text=True
    )
    total, mending = map(float, out.stdout.split())
    return total, mending


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=20)
    parser.add_argument("--measures", type=int, default=25)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args()
    tool = [sys.executable, "-m", "ncc_scorecard"]
    with tempfile.TemporaryDirectory(prefix="ncc-bench-") as folder:
        root = Path(folder)
        make_project(root, args.reports, args.measures, args.months)
        build = [*tool, "build", "--project", str(root), "--as-at", AS_AT, "-q"]
        if args.jobs:
            build += ["--jobs", str(args.jobs)]
        full = timed([*build, "--force"])
        rebuild = timed(build)
        html_files = sorted((root / "out").glob("*.html"))
        plain = plain_weasyprint(html_files)
        rendering, mending = mending_share(html_files)
        peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    rows = args.reports * args.measures
    print(f"machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(
        f"project: {args.reports} reports x {args.measures} measures x {args.months} months "
        f"({rows * args.months} results)"
    )
    print(f"full build (html+pdf, --force): {full:6.2f} s")
    print(f"plain WeasyPrint, one process:  {plain:6.2f} s  ({len(html_files)} HTML files)")
    print(f"ratio full / plain:             {full / plain:6.2f}  (goal <= 0.75)")
    print(
        f"structure tree mending:         {mending:6.2f} s  ({mending / rendering:.1%} of {rendering:.2f} s rendering)"
    )
    print(f"no-change rebuild:              {rebuild:6.2f} s  ({rebuild / full:.3f} x full; goal <= 0.1)")
    print(f"peak memory of any process:     {peak_kib / 1024:6.0f} MB  (goal <= 400)")


if __name__ == "__main__":
    main()
