"""Every relative link in the course's notebooks leads somewhere a learner can open.

`make start` serves the repository's root and hides what a learner has no use for
(``jupyter_server_config.py``). A link in a chapter or on the start page must name a file
that exists, inside that root, and not under a hidden name, or JupyterLab answers 404.
"""

import json
import re
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import pytest
from traitlets.config import PyFileConfigLoader

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted((ROOT / "course").glob("*.ipynb"))
# Markdown links and images, [text](target "title"), and HTML href/src attributes.
MARKDOWN_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
HTML_LINK = re.compile(r"""(?:href|src)\s*=\s*["']([^"']+)["']""")


def _hidden_globs() -> list[str]:
    """The names the course's Jupyter server hides, read from its own config file."""
    config = PyFileConfigLoader("jupyter_server_config.py", path=str(ROOT)).load_config()
    return list(config.ContentsManager.hide_globs)


def _relative_links(notebook: Path) -> list[str]:
    """The path of every link in the notebook's markdown cells that stays on this server
    (no scheme, no host, not just an anchor), query and anchor removed."""
    links = []
    for cell in json.loads(notebook.read_text())["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = "".join(cell["source"])
        for target in MARKDOWN_LINK.findall(text) + HTML_LINK.findall(text):
            parts = urlsplit(target)
            if not (parts.scheme or parts.netloc) and parts.path:
                links.append(unquote(parts.path))
    return links


HIDDEN = _hidden_globs()
LINKS = [(notebook, link) for notebook in NOTEBOOKS for link in _relative_links(notebook)]


def test_the_notebooks_have_links_to_check():
    """The start page alone links every chapter and lab: a parser that finds none is broken."""
    start_page = {link for notebook, link in LINKS if notebook.name == "start-here.ipynb"}
    assert len(start_page) >= 2 * len(list((ROOT / "labs").glob("*/*.ipynb")))


@pytest.mark.parametrize(("notebook", "link"), LINKS,
                         ids=[f"{n.stem}->{link}" for n, link in LINKS])
def test_a_link_opens_in_the_course_server(notebook, link):
    target = (notebook.parent / link).resolve()
    assert target.is_relative_to(ROOT), (
        f"{notebook.name} links to {link}, outside the repository `make start` serves")
    assert target.exists(), f"{notebook.name} links to {link}, which does not exist"
    hidden = [(part, glob) for part in PurePosixPath(target.relative_to(ROOT).as_posix()).parts
              for glob in HIDDEN if fnmatch(part, glob) or part.startswith(".")]
    assert not hidden, (f"{notebook.name} links to {link}, under {hidden[0][0]!r}, which "
                        f"the course's server hides (jupyter_server_config.py)")
