"""Binder and the project install the same pinned versions, and the helper package's index
names every module it has."""

import importlib
import pkgutil
import re
import tomllib
from pathlib import Path

import resilience

ROOT = Path(__file__).resolve().parents[2]


def test_binder_requirements_equal_the_project_pins():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    binder = [line.strip() for line in (ROOT / "binder" / "requirements.txt").read_text()
              .splitlines() if line.strip() and not line.startswith("#")]
    assert sorted(binder) == sorted(project), "binder/requirements.txt and pyproject.toml differ"
    assert all("==" in pin for pin in project), "every dependency is pinned"


def _modules() -> set[str]:
    """Every module of the helper package, as the index names it (``aws.facts``)."""
    found = pkgutil.walk_packages(resilience.__path__, "resilience.")
    return {module.name.removeprefix("resilience.") for module in found if not module.ispkg}


def test_the_package_index_lists_every_module_and_only_modules():
    listed = set(re.findall(r"``([a-z][a-z_0-9]*(?:\.[a-z][a-z_0-9]*)?)``", resilience.__doc__))
    listed = {name for name in listed if name not in {"aws", "models", "chapters", "ui", "checks"}}
    assert _modules() - listed == set(), "add these modules to resilience/__init__.py's index"
    assert listed - _modules() == set(), "the index names modules that do not exist"


def test_the_modules_learners_import_declare_what_they_export():
    for name in ("clock", "sandbox", "faults", "eventsources", "idempotency"):
        module = importlib.import_module(f"resilience.{name}")
        missing = [n for n in module.__all__ if not hasattr(module, n)]
        assert not missing, f"resilience.{name}.__all__ names {missing}, which it lacks"


def test_every_subpackage_is_installed():
    """A non-editable install (a wheel) carries only the packages pyproject.toml lists."""
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
                 ["packages"])
    found = {module.name for module in pkgutil.walk_packages(resilience.__path__, "resilience.")
             if module.ispkg} | {"resilience"}
    assert found - listed == set(), "list these packages in pyproject.toml"
