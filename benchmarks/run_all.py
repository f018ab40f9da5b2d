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
    for name in names:
        script = BENCH_DIR / f"bench_{name}.py"
        print(f"\n=== {script.name} ===", flush=True)
        code = subprocess.call([sys.executable, str(script), *ARGS.get(name, [])])
        if code:
            return code
    return 0


if __name__ == "__main__":
    sys.exit(main())
