"""Benchmark: ``tthc review`` against the naive shell loop of ``jupyter nbconvert``.

Targets (issue 17): on the province-scale sample the whole ``tthc review`` takes at most
12 s and at most 0.15 × the time of the naive way on a 2-core machine.

- Data: the province-scale sample (``write_sample(..., scale="province")``), written once
  to ``benchmarks/.data/province`` and ingested once before timing (the ingest cache is
  then warm for both ways).
- ``tthc review``: the command as a user runs it (a subprocess), all notebooks, HTML,
  form 06, manifest.
- Naive: parameterised copies of the same notebooks are prepared first (not timed: the
  same injected-parameters cell), then one shell loop runs
  ``jupyter nbconvert --execute --to html`` on each copy.

Prints both times and the ratio. No assertion: speed is reported, not tested.

    .venv/bin/python benchmarks/bench_review.py [--notebooks DIR] [--data DIR] [--jobs N]
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from tthc_analysis.config import NOTEBOOKS_DIR, PROJECT_ROOT
from tthc_analysis.review.build import discover_notebooks
from tthc_analysis.review.runner import inject_parameters
from tthc_analysis.views.context import DATA_ENV, ReviewParams

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import target  # noqa: E402

BIN = Path(sys.executable).parent
TARGET_SECONDS = 12
"""Issue 17: the whole ``tthc review`` at province scale (warm ingest cache) <= 12 s."""
TARGET_RATIO = 0.15
"""Issue 17: ... and <= 0.15 x the naive ``jupyter nbconvert --execute`` loop."""
DEFAULT_DATA = PROJECT_ROOT / "benchmarks" / ".data" / "province"


def ensure_province_sample(folder: Path) -> Path:
    """Write the province-scale sample once (kept between runs, git-ignored)."""
    if not (folder / "SAMPLE.json").is_file():
        from tthc_analysis.sample import write_sample

        print(f"Writing the province-scale sample to {folder} (once)…", flush=True)
        started = time.perf_counter()
        write_sample(folder, scale="province")
        print(f"  done in {time.perf_counter() - started:.1f} s", flush=True)
    return folder


def ingest_once(folder: Path) -> None:
    """Fill the ingest cache (not timed in the comparison)."""
    from tthc_analysis.loading.ingest import load_tables

    started = time.perf_counter()
    load_tables(folder)
    print(f"Ingest (cache warm-up, not compared): {time.perf_counter() - started:.1f} s")


def time_review(data: Path, notebooks: Path, out: Path, jobs: int | None) -> float:
    command = [
        str(BIN / "tthc"),
        "review",
        "--year",
        "2025",
        "--period",
        "year",
        "--data",
        str(data),
        "--out",
        str(out),
        "--notebooks",
        str(notebooks),
        "--no-progress",
    ]
    if jobs:
        command += ["--jobs", str(jobs)]
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def prepare_naive(data: Path, notebooks: Path, folder: Path) -> list[Path]:
    """Parameterised copies of the notebooks (the same injected cell as the review)."""
    params = ReviewParams.resolve(2025, None, "year", data, None).notebook_parameters()
    copies = []
    for job in discover_notebooks(notebooks):
        nb = inject_parameters(nbformat.read(job.path, as_version=4), params)
        target = folder / job.path.name
        nbformat.write(nb, target)
        copies.append(target)
    for extra in notebooks.iterdir():  # helper files next to the notebooks
        if extra.is_file() and extra.suffix != ".ipynb":
            shutil.copy2(extra, folder / extra.name)
    return copies


def time_naive(copies: list[Path], folder: Path, data: Path) -> float:
    names = " ".join(shlex.quote(p.name) for p in copies)
    script = (
        f"for f in {names}; do "
        f'{shlex.quote(str(BIN / "jupyter"))} nbconvert --execute --to html "$f" '
        ">/dev/null 2>&1 || exit 1; done"
    )
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    # The injected data_dir is the folder's name only (no machine path in a report); as
    # in a build, the kernels get the folder itself from this variable.
    env[DATA_ENV] = str(data)
    started = time.perf_counter()
    subprocess.run(["bash", "-c", script], check=True, cwd=folder, env=env)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="province sample")
    parser.add_argument("--notebooks", type=Path, default=NOTEBOOKS_DIR)
    parser.add_argument("--jobs", type=int, default=None)
    args = parser.parse_args(argv)

    data = ensure_province_sample(args.data.resolve())
    ingest_once(data)
    with tempfile.TemporaryDirectory(prefix="bench-review-") as scratch:
        scratch = Path(scratch)
        notebooks = args.notebooks.resolve()
        n = len(discover_notebooks(notebooks))
        print(f"Notebooks: {n} in {notebooks}; CPU cores: {os.cpu_count()}")
        naive_dir = scratch / "naive"
        naive_dir.mkdir()
        copies = prepare_naive(data, notebooks, naive_dir)
        review = time_review(data, notebooks, scratch / "report", args.jobs)
        naive = time_naive(copies, naive_dir, data)
    ratio = review / naive
    print(f"tthc review:                         {review:6.1f} s")
    print(f"naive loop (jupyter nbconvert ×{n:2d}):  {naive:6.1f} s")
    print(f"ratio review / naive:                {ratio:6.2f}  (target ≤ {TARGET_RATIO})")
    print(
        f"review within {TARGET_SECONDS} s:                {'yes' if review <= TARGET_SECONDS else 'NO'}"
    )
    target(
        f"tthc review (province) <= {TARGET_SECONDS} s", f"{review:.1f} s", review <= TARGET_SECONDS
    )
    target(
        f"tthc review <= {TARGET_RATIO} x naive nbconvert loop",
        f"{ratio:.2f} x",
        ratio <= TARGET_RATIO,
        f"{review:.1f} s vs {naive:.1f} s",
    )


if __name__ == "__main__":
    main()
