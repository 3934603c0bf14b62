"""Benchmark the tool on synthetic monthly packs and print every figure beside its goal.

The main pack is 20 reports × 25 measures × 36 months of monthly results (18,000 results), with
comments and actions on the latest month. From one run this prints:

- the full build (html + pdf, ``--force``) against plain WeasyPrint rendering the same HTML files
  one after another in one process, the share of rendering spent mending the PDFs' structure
  trees, the workers' busy time and how many cores the build's processes actually got;
- the no-change rebuild against the full build;
- a json build of the 20-report pack and of an 80-report pack (72,000 results): the cost per
  1,000 results should not grow with the number of reports;
- ``validate`` of 20,000 results (20 reports × 25 measures × 40 months) as one workbook and as CSV;
- the portal (``site --history 12``): cold, warm with nothing changed, warm after one comment
  changed in the newest month; its files and megabytes per report date, and a site, build, site
  sequence counting the PDFs the second site renders;
- peak memory of any process: the full build of the 80-report pack (2,000 measures) and of one
  400-measure report.

    python scripts/bench.py [--reports 20] [--measures 25] [--months 36] [--jobs N] [--skip-site]
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

AS_AT = "2019-03-31"
TOOL = [sys.executable, "-m", "ncc_scorecard"]


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


def csv_to_workbook(project: Path) -> None:
    """Replace ``data/results.csv`` with the same rows as ``data/results.xlsx`` (numbers as numbers)."""
    import openpyxl

    source = project / "data" / "results.csv"
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Results")
    with source.open(encoding="utf-8", newline="") as file:
        for number, row in enumerate(csv.reader(file)):
            sheet.append(row if number == 0 else [_cell(value) for value in row])
    workbook.save(project / "data" / "results.xlsx")
    source.unlink()


def _cell(text: str) -> str | int | float | None:
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


@dataclass(frozen=True)
class Run:
    """One command: wall seconds, CPU seconds of it and every process it waited for, peak memory."""

    wall: float
    cpu: float
    peak_mb: float
    stderr: str = ""

    @property
    def cores(self) -> float:
        """How many cores the command's processes got on average."""
        return self.cpu / self.wall if self.wall else 0.0


def run(command: list[str], env: dict[str, str] | None = None) -> Run:
    """Run a command and measure it with ``wait4``: its own and its waited-for children's usage. The
    command may keep compiled bytecode, as an installed tool does."""
    environment = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**environment, **(env or {})}
    )
    stderr = process.stderr.read().decode("utf-8", "replace") if process.stderr else ""
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({process.returncode}):\n{stderr}")
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, stderr)


def plain_weasyprint(html_files: list[Path]) -> Run:
    """The baseline: one process rendering each HTML file with WeasyPrint's defaults, one after another."""
    code = "import sys\nfrom weasyprint import HTML\nfor name in sys.argv[1:]:\n    HTML(filename=name).write_pdf()\n"
    return run([sys.executable, "-c", code, *map(str, html_files)])


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


def timing_line(stderr: str) -> str:
    """The PDF stage's timing line a build prints when ``NCC_SCORECARD_TIMINGS`` is set ("" if none)."""
    return next((line.strip() for line in stderr.splitlines() if line.startswith("timings:")), "")


def folder_size(folder: Path) -> tuple[int, int]:
    """Files and bytes under a folder."""
    files = [path for path in folder.rglob("*") if path.is_file()]
    return len(files), sum(path.stat().st_size for path in files)


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


class Table:
    """Rows of figure, result and goal, printed as they are measured and again at the end."""

    def __init__(self) -> None:
        self.rows: list[tuple[str, str, str]] = []

    def add(self, figure: str, result: str, goal: str = "") -> None:
        self.rows.append((figure, result, goal))
        print(f"  {figure}: {result}" + (f"   (goal {goal})" if goal else ""), flush=True)

    def print(self) -> None:
        width = max(len(row[0]) for row in self.rows)
        result_width = max(len(row[1]) for row in self.rows)
        print()
        for figure, result, goal in self.rows:
            print(f"{figure:<{width}}  {result:<{result_width}}  {('goal ' + goal) if goal else ''}".rstrip())


def bench_build(root: Path, table: Table, jobs: list[str]) -> None:
    """Full build against plain WeasyPrint, worker busy time, cores, the no-change rebuild."""
    build = [*TOOL, "build", "--project", str(root), "--as-at", AS_AT, "-q", *jobs]
    full = run([*build, "--force"], env={"NCC_SCORECARD_TIMINGS": "1"})
    rebuild = run(build)
    html_files = sorted((root / "out").glob("*.html"))
    plain = plain_weasyprint(html_files)
    rendering, mending = mending_share(html_files)
    table.add("full build (html + pdf, --force)", f"{full.wall:.2f} s")
    table.add(f"plain WeasyPrint, {len(html_files)} HTML files, one process", f"{plain.wall:.2f} s")
    table.add("ratio full / plain", f"{full.wall / plain.wall:.2f}", "<= 0.60 with two free cores")
    table.add("cores the full build's processes got", f"{full.cores:.2f} of {available_cores()}")
    busy = timing_line(full.stderr)
    if busy:
        table.add("PDF stage", busy.removeprefix("timings: PDF stage:").strip())
    table.add("structure tree mending", f"{mending:.2f} s ({mending / rendering:.1%} of {rendering:.2f} s rendering)")
    table.add("no-change rebuild", f"{rebuild.wall:.3f} s ({rebuild.wall / full.wall:.4f} x full)", "<= 0.01 x full")


def bench_json(packs: list[tuple[Path, int]], table: Table) -> None:
    """A json build of two packs: the cost per 1,000 results should not depend on the pack's size."""
    costs = []
    for root, results in packs:
        reports = _reports(root)
        took = run([*TOOL, "build", "--project", str(root), "--as-at", AS_AT, "--format", "json", "-q"])
        costs.append(took.wall / results * 1000)
        table.add(
            f"json build, {reports} reports ({results:,} results)",
            f"{took.wall:.2f} s ({costs[-1] * 1000:.1f} ms per 1,000 results, {took.peak_mb:.0f} MB)",
        )
    table.add("json build per result, large / small pack", f"{costs[1] / costs[0]:.2f}", "<= 1.2 (linear in rows)")


def _reports(root: Path) -> int:
    return sum(line.startswith("  - id: report-") for line in (root / "measures.yaml").read_text().splitlines())


def _measures_per_report(root: Path) -> int:
    return sum(line.startswith("  - id: m") for line in (root / "measures.yaml").read_text().splitlines()) // _reports(
        root
    )


def bench_xlsx(folder: Path, table: Table) -> None:
    """``validate`` of the same 20,000 results (20 reports × 25 measures × 40 months) as one workbook
    and as CSV (best of three each)."""
    results = 20 * 25 * 40
    text, workbook = folder / "csv-pack", folder / "xlsx-pack"
    make_project(text, 20, 25, 40)
    shutil.copytree(text, workbook)
    csv_to_workbook(workbook)
    times = {}
    for name, root in (("csv", text), ("xlsx", workbook)):
        command = [*TOOL, "validate", "--project", str(root), "--as-at", AS_AT]
        runs = [run(command) for _ in range(3)]
        times[name] = min(r.wall for r in runs)
        table.add(
            f"validate, {results:,} results as {name}", f"{times[name]:.2f} s ({max(r.peak_mb for r in runs):.0f} MB)"
        )
    table.add("validate xlsx / csv", f"{times['xlsx'] / times['csv']:.2f}", "<= 2")


def bench_site(root: Path, table: Table, jobs: list[str]) -> None:
    """The portal for 12 report dates: cold; warm with nothing changed (the whole command stops at
    the digest); warm with a file added that changes no figure (everything loaded and computed,
    every page and PDF kept); warm after one comment changed; its size per date; and a site after
    a build (what the PDF stage rendered)."""
    site = [*TOOL, "site", "--project", str(root), "--as-at", AS_AT, "--history", "12", "-q", *jobs]
    shutil.rmtree(root / "out", ignore_errors=True)
    cold = run(site)
    warm = run(site)
    extra = root / "data" / "empty.csv"
    extra.write_text("measure,period,value\n", encoding="utf-8")
    loaded = run(site)
    extra.unlink()
    results = root / "data" / "results.csv"
    text = results.read_text(encoding="utf-8")
    results.write_text(text.replace("Managers review", "Managers now review", 1), encoding="utf-8")
    changed = run(site)
    results.write_text(text, encoding="utf-8")
    run(site)
    run([*TOOL, "build", "--project", str(root), "--as-at", AS_AT, "-q", *jobs])
    after_build = run(site, env={"NCC_SCORECARD_TIMINGS": "1"})
    files, size = folder_size(root / "out" / "site")
    dates = sorted(path for path in (root / "out" / "site").iterdir() if path.is_dir() and path.name[:2] == "20")
    per_date = [folder_size(day) for day in dates]
    table.add(
        f"site --history 12 ({len(dates)} dates), cold",
        f"{cold.wall:.1f} s, {files:,} files, {size / 1e6:.0f} MB, {cold.peak_mb:.0f} MB peak",
    )
    table.add("site warm, nothing changed", f"{warm.wall:.2f} s ({warm.wall / cold.wall:.4f} x cold)", "<= 0.05 x cold")
    table.add(
        "site warm, a file added, no figure changed",
        f"{loaded.wall:.2f} s ({loaded.wall / cold.wall:.3f} x cold, {loaded.peak_mb:.0f} MB peak)",
        "<= 0.05 x cold",
    )
    table.add(
        "site warm, one comment changed",
        f"{changed.wall:.2f} s ({changed.wall / cold.wall:.3f} x cold, {changed.peak_mb:.0f} MB peak)",
        "<= 0.05 x cold",
    )
    mean_files, mean_mb = sum(f for f, _ in per_date) / len(dates), sum(b for _, b in per_date) / len(dates) / 1e6
    table.add(
        "site size per report date",
        f"{mean_files:,.0f} files, {mean_mb:.1f} MB "
        f"(oldest {per_date[0][1] / 1e6:.1f} MB, newest {per_date[-1][1] / 1e6:.1f} MB)",
    )
    stage = timing_line(after_build.stderr).removeprefix("timings: PDF stage:").strip()
    table.add("site after a build, PDF stage", stage or "nothing to render")


def bench_memory(large: Path, folder: Path, table: Table, jobs: list[str]) -> None:
    """Peak memory of any process: the 2,000-measure pack and one 400-measure report, html + pdf."""
    pack = run([*TOOL, "build", "--project", str(large), "--as-at", AS_AT, "-q", "--force", *jobs])
    table.add(
        f"peak memory, full build of {_reports(large) * _measures_per_report(large):,} measures",
        f"{pack.peak_mb:.0f} MB ({pack.wall:.1f} s)",
        "<= 400 MB",
    )
    one = folder / "one-report"
    make_project(one, 1, 400, 36)
    report = run([*TOOL, "build", "--project", str(one), "--as-at", AS_AT, "-q", "--force", *jobs])
    table.add("peak memory, one 400-measure report", f"{report.peak_mb:.0f} MB ({report.wall:.1f} s)", "<= 400 MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--reports", type=int, default=20)
    parser.add_argument("--measures", type=int, default=25)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--jobs", type=int, default=None)
    parser.add_argument("--skip-site", action="store_true", help="leave out the portal (the longest part)")
    args = parser.parse_args()
    jobs = ["--jobs", str(args.jobs)] if args.jobs else []
    print(
        f"machine: {platform.machine()}, {available_cores()} cores available, load average before "
        f"{os.getloadavg()[0]:.2f}, Python {platform.python_version()}",
        flush=True,
    )
    table = Table()
    with tempfile.TemporaryDirectory(prefix="ncc-bench-") as name:
        folder = Path(name)
        small, large = folder / "pack", folder / "pack-80"
        make_project(small, args.reports, args.measures, args.months)
        make_project(large, 4 * args.reports, args.measures, args.months)
        results = args.reports * args.measures * args.months
        bench_build(small, table, jobs)
        bench_json([(small, results), (large, 4 * results)], table)
        bench_xlsx(folder, table)
        if not args.skip_site:
            bench_site(small, table, jobs)
        bench_memory(large, folder, table, jobs)
    table.print()


if __name__ == "__main__":
    main()
