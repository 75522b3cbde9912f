"""The start page a learner lands on: every chapter and lab on the path, every link alive,
and the README's Binder badge and `make start` opening it."""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
START = ROOT / "course" / "start-here.ipynb"


def _text() -> str:
    return "\n".join("".join(c["source"]) for c in json.loads(START.read_text())["cells"])


def test_every_chapter_and_lab_is_on_the_path():
    links = re.findall(r"\]\(([^)]+\.ipynb)\)", _text())
    chapters = sorted(p.name for p in (ROOT / "course").glob("[0-9][0-9]-*.ipynb"))
    labs = sorted(f"../labs/{p.parent.name}/{p.name}" for p in (ROOT / "labs").glob("*/*.ipynb"))
    assert [link for link in links if not link.startswith("..")] == chapters
    assert sorted(link for link in links if link.startswith("..")) == labs


def test_every_link_resolves():
    for link in re.findall(r"\]\(([^)#]+)\)", _text()):
        assert (START.parent / link).resolve().is_file(), link


def test_the_badge_and_make_start_open_it():
    assert "urlpath=lab/tree/course/start-here.ipynb" in (ROOT / "README.md").read_text()
    assert "course/start-here.ipynb" in (ROOT / "Makefile").read_text()
