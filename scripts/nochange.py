"""Time a full build and a no-change rebuild of a project, each as the whole command in a subprocess.

    python scripts/nochange.py PROJECT [AS_AT] [RUNS]

prints, per run, the full build (``--force``, html and pdf), the rebuild that follows it and their
ratio. :func:`time_builds` returns the same figures for a benchmark to report.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _seconds(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def time_builds(project: Path, as_at: str = "2019-03-31", runs: int = 3) -> list[tuple[float, float]]:
    """(full build, no-change rebuild) in seconds, ``runs`` times: ``build --force`` then ``build``,
    both ``-q`` with html and pdf, each timed as the whole command. Python may write its bytecode
    (as an installed tool has it), and one untimed build first records the state."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    command = [sys.executable, "-m", "ncc_scorecard", "build", "--project", str(project), "--as-at", as_at, "-q"]
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)
    return [(_seconds([*command, "--force"], env), _seconds(command, env)) for _ in range(runs)]


if __name__ == "__main__":
    arguments = sys.argv[1:]
    for full, rebuild in time_builds(Path(arguments[0]), *arguments[1:2], *map(int, arguments[2:3])):
        print(f"full build {full:.2f} s, no-change rebuild {rebuild:.3f} s, ratio {rebuild / full:.4f}")
