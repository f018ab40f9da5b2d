"""environment.yml, pyproject.toml and the pinned constraints must agree."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _split(requirement: str) -> tuple[str, str]:
    # Extras (``pyright[nodejs]``) are pip-only: conda-forge's package bundles them.
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)(?:\[[^\]]*\])?\s*(.*)$", requirement)
    assert match, requirement
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def _pyproject() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"]) + list(project["optional-dependencies"]["dev"])
    return dict(_split(r) for r in requirements)


def _environment() -> dict[str, str]:
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    deps = {}
    for item in env["dependencies"]:
        if isinstance(item, str):
            name, spec = _split(item)
            if name not in {"python", "pip"}:
                deps[name] = spec
    return deps


def test_environment_yml_lists_the_same_dependencies_as_pyproject():
    assert _environment() == _pyproject()


def test_environment_yml_installs_the_package_editable():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pip_sections = [d["pip"] for d in env["dependencies"] if isinstance(d, dict) and "pip" in d]
    assert pip_sections == [["-e ."]]
    assert "conda-forge" in env["channels"]


def test_python_versions_agree():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    pythons = [d for d in env["dependencies"] if isinstance(d, str) and _split(d)[0] == "python"]
    assert project["requires-python"] == ">=3.11"
    assert pythons == ["python>=3.11"]


def test_every_dependency_is_pinned_in_constraints():
    pins = {}
    for line in (
        (ROOT / "requirements" / "constraints.txt").read_text(encoding="utf-8").splitlines()
    ):
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            pins[name.strip().lower().replace("_", "-")] = version.strip()
    missing = sorted(set(_pyproject()) - set(pins))
    assert not missing, f"not pinned in requirements/constraints.txt: {missing}"


def _quick_start_commands() -> dict[str, str]:
    """README quick-start block: what each command does (the comment) -> the command."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    pairs = (line.split("#", 1) for line in block.splitlines() if "#" in line)
    return {comment.strip(): command.strip() for command, comment in pairs}


def test_ci_runs_the_readme_test_command():
    commands = _quick_start_commands()
    assert list(commands.values()) == ["make report", "make test"]
    test_command = next(c for what, c in commands.items() if "whole test suite" in what)
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    steps = [line.strip() for line in script if line.strip() and not line.startswith("#")]
    assert steps[-1] == test_command


def test_readme_commands_use_the_pinned_local_environment():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    stamp_rule = makefile.split("$(STAMP): ", 1)[1].split("\n\n", 1)[0]
    assert stamp_rule.startswith("pyproject.toml requirements/constraints.txt")
    assert "-c requirements/constraints.txt -e '.[dev]'" in stamp_rule
    for target in ("report", "test", "lab"):
        rule = next(line for line in makefile.splitlines() if line.startswith(f"{target}:"))
        assert "$(STAMP)" in rule.split("##", 1)[0], target
        assert "## " in rule, target  # listed by `make help`
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "`make lab`" in readme and "`make help`" in readme
    assert "**Tóm tắt.**" in readme  # the short Vietnamese summary


def test_top_level_layout():
    for folder in ("tthc_analysis", "notebooks", "data", "reports", "tests", "benchmarks"):
        assert (ROOT / folder).is_dir(), folder
    # reports/ is git-ignored except its README, which keeps the folder in a fresh clone
    assert (ROOT / "reports" / "README.md").is_file()
    for name in ("environment.yml", "pyproject.toml", "README.md", "Makefile", ".ci/run"):
        assert (ROOT / name).is_file(), name
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["scripts"] == {"tthc": "tthc_analysis.cli:main"}
    assert (ROOT / "tthc_analysis" / "__main__.py").is_file()
