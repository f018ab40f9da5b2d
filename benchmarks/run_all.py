"""Run every benchmark in turn (``make bench``); each prints its figures and ratios.

The province-scale sample (1,000,000 dossiers) is generated into ``benchmarks/.data/``
on first use (a few minutes per format) and reused afterwards.

    .venv/bin/python benchmarks/run_all.py [NAME ...]   # NAME: ingest, evaluate, review
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH_DIR))

from _common import TARGET_PREFIX  # noqa: E402

ORDER = ("ingest", "evaluate", "review")
ARGS = {"evaluate": ["--data", "province"]}
"""Arguments of each benchmark: evaluate() is timed on the province sample."""


def main(argv: list[str] | None = None) -> int:
    """Run the named benchmarks (all by default); return the first failing exit code."""
    names = (argv if argv is not None else sys.argv[1:]) or list(ORDER)
    unknown = sorted(set(names) - set(ORDER))
    if unknown:
        print(f"Unknown benchmark(s): {', '.join(unknown)}; choose from {', '.join(ORDER)}")
        return 2
    targets: list[str] = []
    for name in names:
        script = BENCH_DIR / f"bench_{name}.py"
        print(f"\n=== {script.name} ===", flush=True)
        with subprocess.Popen(
            [sys.executable, "-u", str(script), *ARGS.get(name, [])],
            stdout=subprocess.PIPE,
            text=True,
        ) as child:
            assert child.stdout is not None
            for line in child.stdout:
                print(line, end="", flush=True)
                if line.startswith(TARGET_PREFIX):
                    targets.append(line.rstrip())
        if child.returncode:
            return child.returncode
    print("\n=== targets (issue 17; ratios against baselines timed in the same run) ===")
    for line in targets:
        print(line)
    met = sum(line.endswith("-> OK") for line in targets)
    print(f"{met}/{len(targets)} targets met")
    return 0


if __name__ == "__main__":
    sys.exit(main())
