"""What the browser tests share: Debian's Chromium as they launch it, a free port, and
waiting for JupyterLab to show a notebook (course/tests/test_browser.py, and the classroom
test, grader/tests/test_classroom.py, which opens a learner's lab through JupyterHub)."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "screenshots"  # CI's artefacts
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]
NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook in front
FRONT_TAB = "#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_notebook(page, name: str, limit_s: float) -> None:
    """Wait until the notebook ``name`` is the one in front and shows its cells; if it does
    not, fail with what a person would see instead (an error dialog, a 404)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            """([tab, notebook, name]) =>
                   document.querySelector(tab)?.textContent === name
                   && document.querySelector(`${notebook} .jp-Cell`) !== null""",
            arg=[FRONT_TAB, NOTEBOOK, name], timeout=limit_s * 1000)
    except PlaywrightTimeout:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}-did-not-open.png"))
        pytest.fail(f"{name} did not open: in front is "
                    f"{page.locator(FRONT_TAB).all_text_contents()}, dialogs "
                    f"{page.locator('.jp-Dialog').all_text_contents() or 'none'}")
    dialogs = page.locator(".jp-Dialog").all_text_contents()
    assert not dialogs, f"opening {name} showed a dialog: {dialogs}"
