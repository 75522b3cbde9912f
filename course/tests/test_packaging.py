"""Binder and the project install the same pinned versions."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_binder_requirements_equal_the_project_pins():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    binder = [line.strip() for line in (ROOT / "binder" / "requirements.txt").read_text()
              .splitlines() if line.strip() and not line.startswith("#")]
    assert sorted(binder) == sorted(project), "binder/requirements.txt and pyproject.toml differ"
    assert all("==" in pin for pin in project), "every dependency is pinned"
