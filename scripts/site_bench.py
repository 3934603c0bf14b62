"""Benchmark the portal: a cold site, a rebuild with nothing changed, and the monthly rebuild after a
small change (one comment edited on the newest month), with the site's size per report date.

    python scripts/site_bench.py [--reports 5] [--measures 25] [--months 36] [--history 12]

Or from Python: ``site_figures(project, out)`` on a project made by ``bench.make_project``.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AS_AT = "2019-03-31"


def run_site(project: Path, out: Path, as_at: str = AS_AT, history: int = 12, *extra: str) -> float:
    """Seconds one ``site`` command takes, start to end (a new process, as a user runs it)."""
    command = [sys.executable, "-m", "ncc_scorecard", "site", "--project", str(project), "--as-at", as_at]
    start = time.perf_counter()
    subprocess.run([*command, "--history", str(history), "--out", str(out), "-q", *extra], check=True)
    return time.perf_counter() - start


def change_a_comment(project: Path) -> str:
    """Edit the comment of the first result of the newest period in ``data/results.csv`` (as a
    performance officer corrects a word before the monthly run); the measure changed."""
    path = project / "data" / "results.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))
    header, body = rows[0], rows[1:]
    period, comment = header.index("period"), header.index("comment")
    newest = max(row[period] for row in body)
    row = next(row for row in body if row[period] == newest and row[comment])
    row[comment] = "Corrected: " + row[comment]
    text = io.StringIO()
    csv.writer(text).writerows([header, *body])
    path.write_text(text.getvalue(), encoding="utf-8")
    return row[header.index("measure")]


def site_size(site: Path) -> dict[str, object]:
    """Files and bytes of the site: in all, per report-date folder, and per kind of file of one date."""
    files = [path for path in site.rglob("*") if path.is_file()]
    dates = sorted({path.relative_to(site).parts[0] for path in files if path.parent != site} - {"latest"})
    newest = site / dates[-1]
    kinds = {
        "measure pages": list((newest / "measures").glob("*.html")),
        "report pages": [path for path in newest.glob("*.html") if path.name != "index.html"],
        "PDFs": list(newest.glob("*.pdf")),
    }
    per_date = [path for path in files if path.is_relative_to(newest)]
    return {
        "files": len(files),
        "MB": round(sum(path.stat().st_size for path in files) / 1e6, 1),
        "dates": len(dates),
        "per date": {"files": len(per_date), "MB": round(sum(p.stat().st_size for p in per_date) / 1e6, 2)},
        "per file": {
            kind: {"files": len(paths), "KB each": round(sum(p.stat().st_size for p in paths) / 1e3 / len(paths), 1)}
            for kind, paths in kinds.items()
            if paths
        },
    }


def site_figures(project: Path, out: Path, as_at: str = AS_AT, history: int = 12) -> dict[str, object]:
    """Cold, no-change and after-one-comment timings of ``site`` into ``out`` (emptied first), the
    ratios to cold, and the site's size. Changes ``project`` (one comment)."""
    if out.exists():
        subprocess.run(["rm", "-rf", str(out)], check=True)
    cold = run_site(project, out, as_at, history)
    unchanged = run_site(project, out, as_at, history)
    measure = change_a_comment(project)
    changed = run_site(project, out, as_at, history)
    figures: dict[str, object] = {
        "cold s": round(cold, 2),
        "no change s": round(unchanged, 2),
        "no change / cold": round(unchanged / cold, 3),
        f"one comment changed ({measure}) s": round(changed, 2),
        "one comment changed / cold": round(changed / cold, 3),
    }
    return figures | site_size(out / "site")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=5)
    parser.add_argument("--measures", type=int, default=25)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--history", type=int, default=12)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from bench import make_project

    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder) / "pack"
        make_project(project, args.reports, args.measures, args.months)
        print(json.dumps(site_figures(project, Path(folder) / "out", history=args.history), indent=2))


if __name__ == "__main__":
    main()
