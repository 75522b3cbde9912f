"""The course as a learner meets it: JupyterLab started as `make start` starts it (the
Makefile's ``serve`` target), opened in headless Chromium.

First the start page: open the URL the server prints, see the start page, and follow its
links to a chapter and to a lab, each of which must open as a notebook. Then each chapter:
open it, run all its cells from JupyterLab's Run menu, check that no cell printed a
traceback and that every widget rendered, then move one control of each widget and check
that its figure really changed (the rendered image's data differs). Screenshots of each
widget before and after are kept in ``build/screenshots`` (CI's artefacts).

Needs Debian's ``chromium`` (``.ci/run`` installs it) and the ``playwright`` package, which
drives it without downloading a browser of its own; skipped, and says why, without them.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import parse_qs, urlsplit

import pytest
from browser_helpers import (
    CHROMIUM,
    CHROMIUM_FLAGS,
    NOTEBOOK,
    SCREENSHOTS,
    free_port,
    wait_for_notebook,
)

ROOT = Path(__file__).resolve().parents[2]
CHAPTERS = sorted((ROOT / "course").glob("[0-9][0-9]-*.ipynb"))
SERVER_LOG = ROOT / "build" / "jupyterlab-server.log"  # CI's artefacts too
START_PAGE = ROOT / "course" / "start-here.ipynb"
# The server serves copies (so nothing the test runs is saved into the repository): of what
# a learner opens, and of solutions/, which it must hide.
SERVED = {"course": shutil.ignore_patterns("tests", "resilience", "__pycache__"),
          "labs": None, "solutions": None}
SERVER_START_S = 60
SERVER_STOP_S = 20
RUN_ALL_LIMIT_MS = 180_000  # the slowest chapter runs in about 10 s
MENU_TRIES, MENU_STARTS_MS = 3, 5_000  # Run All Cells, clicked again if no cell starts
REDRAW_LIMIT_MS = 60_000
SETTINGS = {  # JupyterLab settings for the test: every cell in the page, no offer of news
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false"},
}

pytestmark = [pytest.mark.xdist_group("browser"), pytest.mark.slow]
sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
if not Path(CHROMIUM).exists():
    pytest.skip("needs Debian's chromium (apt-get install chromium; .ci/run installs it)",
                allow_module_level=True)


class Server(NamedTuple):
    """A running JupyterLab: the URL it printed for a person to open, and its parts."""

    printed_url: str
    base: str
    token: str

    def api(self, path: str, method: str = "GET") -> Any:
        """The server's REST API, as JupyterLab's own page calls it."""
        request = urllib.request.Request(f"{self.base}/api/{path}", method=method,
                                         headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request) as answer:
            return json.loads(answer.read() or "null")

    def status(self, path: str) -> int:
        """The HTTP status of a GET of one of the server's pages."""
        request = urllib.request.Request(f"{self.base}/{path}",
                                         headers={"Authorization": f"token {self.token}"})
        try:
            with urllib.request.urlopen(request) as answer:
                return answer.status
        except urllib.error.HTTPError as error:
            return error.code

    def end_sessions(self) -> None:
        """Shut down every kernel the pages opened, so none is left behind for the next."""
        for session in self.api("sessions"):
            self.api(f"sessions/{session['id']}", method="DELETE")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """JupyterLab as `make start` runs it (``make serve``, the same command line and
    config), serving a copy of the course, so nothing is saved into the repo; the test adds
    only a port, no browser, and settings and workspaces of its own."""
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)  # CI's artefacts: this run's alone
    work = tmp_path_factory.mktemp("jupyterlab")
    root = work / "root"
    for folder, ignore in SERVED.items():
        shutil.copytree(ROOT / folder, root / folder, ignore=ignore)
    settings = work / "settings"
    for plugin, values in SETTINGS.items():
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    port = free_port()
    flags = ["--no-browser", f"--port={port}", f"--LabApp.user_settings_dir={settings}",
             f"--LabApp.workspaces_dir={work / 'workspaces'}"]
    SERVER_LOG.parent.mkdir(parents=True, exist_ok=True)
    log = SERVER_LOG.open("w")
    process = subprocess.Popen(
        ["make", "--no-print-directory", "-C", str(ROOT), "serve", f"VENV={sys.prefix}",
         f"SERVE_ROOT={root}", f"SERVE_FLAGS={shlex.join(flags)}"],
        stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        env={**os.environ, "RESILIENCE_PROGRESS_AFTER_S": "0"})  # every stepped run shows
    try:
        yield _printed_server(port)
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the server shuts its kernels down
        try:
            process.wait(timeout=SERVER_STOP_S)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _printed_server(port: int) -> Server:
    """Wait until the server prints the URL to open and answers it, as a person would."""
    printed = re.compile(rf"http://127\.0\.0\.1:{port}/\S*\?token=\w+")
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        found = printed.search(SERVER_LOG.read_text())
        if found:
            url = found.group(0)
            try:
                urllib.request.urlopen(url).close()
            except (urllib.error.URLError, ConnectionError):
                pass
            else:
                parts = urlsplit(url)
                return Server(url, f"{parts.scheme}://{parts.netloc}",
                              parse_qs(parts.query)["token"][0])
        time.sleep(0.1)
    pytest.fail(f"JupyterLab did not start and print its URL within {SERVER_START_S} s: "
                f"{SERVER_LOG.read_text()[-2000:]}")


@pytest.fixture(scope="module")
def page(server):
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield browser.new_page(viewport={"width": 1400, "height": 1000})
        browser.close()


def _explorers(chapter: Path) -> list[tuple[int, str]]:
    """The widgets a chapter shows: (index, name) of each cell that ends by calling an
    ``*_explorer()``."""
    cells = json.loads(chapter.read_text())["cells"]
    return [(index, m.group(1)) for index, c in enumerate(cells) if c["cell_type"] == "code"
            for m in [re.search(r"(\w+_explorer)\(\)\s*$", "".join(c["source"]))] if m]


def _run_all_cells(page, url: str) -> None:
    """Open a chapter, run all its cells from the Run menu, and wait until every code cell
    has run (each prompt shows its execution count) and the kernel is idle."""
    page.goto(url)
    page.wait_for_selector(f"{NOTEBOOK} .jp-Notebook-ExecutionIndicator[data-status='idle']",
                           timeout=SERVER_START_S * 1000)
    _wait_for_the_kernel(url)
    for _ in range(MENU_TRIES):  # as a person would, click again if nothing started
        page.locator(f"{NOTEBOOK} .jp-Cell").first.click()  # the notebook has the focus
        page.click(".lm-MenuBar-itemLabel >> text=Run")
        page.click(".lm-Menu-itemLabel >> text=Run All Cells")
        try:
            page.wait_for_function(
                r"""() => Array.from(document.querySelectorAll(
                        '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt'))
                        .some(prompt => /\[(\*|\d+)\]/.test(prompt.textContent))""",
                timeout=MENU_STARTS_MS)
            break
        except sync_api.TimeoutError:
            continue
    try:
        _wait_for_all_cells(page)
    except sync_api.TimeoutError:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / "run-all-timed-out.png"), full_page=True)
        status = page.locator(f"{NOTEBOOK} .jp-Notebook-ExecutionIndicator").get_attribute(
            "data-status")
        pytest.fail(f"Run All Cells did not finish within {RUN_ALL_LIMIT_MS / 1000:g} s: "
                    f"prompts {_prompts(page)}, kernel {status}. {_what_stopped_it(page)}")


def _wait_for_the_kernel(url: str) -> None:
    """Wait until the notebook's kernel has started and the page is connected to it, as the
    server sees it. (The page's own indicator says "idle" before its kernel is there; a Run
    All clicked then raced the kernel's start once in CI.)"""
    base, _, rest = url.partition("/lab/tree/")
    path, query = rest.split("?")
    deadline = time.monotonic() + SERVER_START_S
    while time.monotonic() < deadline:
        with urllib.request.urlopen(f"{base}/api/sessions?{query.split('&')[0]}") as answer:
            kernels = [session["kernel"] for session in json.load(answer)
                       if session["path"] == path]
        if any(k["execution_state"] == "idle" and k["connections"] > 0 for k in kernels):
            return
        time.sleep(0.1)
    pytest.fail(f"{path}'s kernel did not start within {SERVER_START_S} s: {kernels}")


def _what_stopped_it(page) -> str:
    """What a person would look at when Run All stops: a cell's error, an open dialog
    (a kernel that died and restarted says so in one), and the end of the server's log."""
    errors = _errors(page)
    dialogs = page.locator(".jp-Dialog").all_text_contents()
    return (f"First cell error: {errors[0][:1500] if errors else 'none'}. "
            f"Dialogs: {dialogs or 'none'}. "
            f"End of the server's log ({SERVER_LOG}):\n{SERVER_LOG.read_text()[-3000:]}")


def _errors(page) -> list[str]:
    """The text of every cell output that shows an exception."""
    return [text for text in page.locator(f"{NOTEBOOK} .jp-OutputArea-output").all_text_contents()
            if "Traceback (most recent call last)" in text or re.match(r"\w+Error\b", text)]


def _prompts(page) -> list[str]:
    """What each code cell's prompt shows: [n] once run, [*] while queued or running."""
    return page.locator(f"{NOTEBOOK} .jp-CodeCell .jp-InputArea-prompt").all_text_contents()


def _wait_for_all_cells(page) -> None:
    page.wait_for_function(
        r"""() => {
               const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
               return panel
                   && Array.from(panel.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt'))
                          .every(prompt => /\[\d+\]/.test(prompt.textContent))
                   && panel.querySelector('.jp-Notebook-ExecutionIndicator')
                          ?.getAttribute('data-status') === 'idle'; }""",
        timeout=RUN_ALL_LIMIT_MS)


# Widgets whose first control starts a new simulation that runs in steps: moving it must
# show the widget's progress bar (the server sets the bar to show at once).
SHOWS_PROGRESS = {"shard_explorer", "queue_explorer", "goodput_explorer", "overlap_explorer",
                  "isolation_explorer", "duplicates_explorer", "open_closed_explorer"}
# Notes on the widget's element whether a progress bar in it was ever shown (its box's
# display style left "none"), however briefly.
WATCH_PROGRESS_JS = """element => {
    element.dataset.progressShown = 'no';
    const shown = box => box.style.display !== 'none';
    new MutationObserver(records => {
        for (const record of records) {
            const box = record.target;
            if (box.querySelector(':scope > .widget-hprogress')
                    && (shown(box) || !/display: none/.test(record.oldValue || ''))) {
                element.dataset.progressShown = 'yes';
            }
        }
    }).observe(element, {attributes: true, attributeFilter: ['style'],
                         attributeOldValue: true, subtree: true});
}"""
# The data of every figure a widget shows, as one string: it changes when any figure does.
FIGURES_JS = ("Array.from(element.querySelectorAll('img'))"
              ".map(image => image.getAttribute('src')).join('|')")


def _figures(widget) -> str:
    return widget.evaluate(f"element => {FIGURES_JS}")


def _move_first_control(page, widget) -> str:
    """Change the widget's first control as a person would; returns what was done."""
    control = widget.locator(".widget-slider .noUi-handle, .widget-dropdown select").first
    if control.evaluate("element => element.tagName") == "SELECT":
        options = control.locator("option").all_text_contents()
        current = control.evaluate("element => element.selectedOptions[0].textContent")
        choice = next(option for option in options if option != current)
        control.select_option(label=choice)
        return f"chose {choice!r}"
    at_the_top = control.get_attribute("aria-valuenow") == control.get_attribute(
        "aria-valuemax")
    control.focus()
    page.keyboard.press("ArrowLeft" if at_the_top else "ArrowRight")
    return f"moved a slider one step {'down' if at_the_top else 'up'}"


def _start_page_link(target: str) -> str:
    """The text of the start page's link to ``target``, which a person reads and clicks."""
    cells = json.loads(START_PAGE.read_text())["cells"]
    text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return re.search(rf"\[([^\]]+)\]\({re.escape(target)}\)", text).group(1)


def test_the_printed_url_opens_the_start_page_and_its_links_open_a_chapter_and_a_lab(
        page, server):
    """What a learner does after `make start`: open the URL it printed, read the start
    page, click a chapter, come back, click a lab."""
    page.goto(server.printed_url)
    wait_for_notebook(page, START_PAGE.name, SERVER_START_S)
    for target in ("02-retries.ipynb", "../labs/02-retries/02-retries.ipynb"):
        page.locator("#jp-main-dock-panel .lm-TabBar-tabLabel",
                     has_text=re.compile(rf"^{re.escape(START_PAGE.name)}$")).click()
        wait_for_notebook(page, START_PAGE.name, SERVER_START_S)
        page.locator(NOTEBOOK).get_by_role(
            "link", name=_start_page_link(target), exact=True).click()
        wait_for_notebook(page, Path(target).name, SERVER_START_S)
    server.end_sessions()


def test_the_server_hides_the_solutions(server):
    """The file browser lists what a learner opens, and a solution cannot be had by URL."""
    listed = sorted(item["name"] for item in server.api("contents")["content"])
    assert listed == ["course", "labs"], f"the file browser's root lists {listed}"
    with pytest.raises(urllib.error.HTTPError) as answer:
        server.api("contents/solutions/02-retries/02-retries.ipynb")
    assert answer.value.code == 404


# nbgrader as a self-paced learner has it (binder/jupyter-config/): validate (its page answers POST
# only: 405 to a GET, 404 where it is off), and neither the instructor's tools nor the
# assignment list (there is no exchange): not the menu, the sidebar, the commands, the pages.
NBGRADER_COMMANDS = {"Assignment List", "Course List", "Formgrader", "Create assignment"}
NBGRADER_PAGES_OFF = ("formgrader", "formgraders", "assignments")
VALIDATE_PAGE = "assignments/validate"


def test_after_make_start_a_learner_can_validate_and_has_no_instructor_tools(page, server):
    lab = "labs/02-retries/02-retries.ipynb"
    page.goto(f"{server.base}/lab/tree/{lab}?token={server.token}&reset")
    wait_for_notebook(page, Path(lab).name, SERVER_START_S)
    menus = page.locator("#jp-menu-panel .lm-MenuBar-itemLabel").all_text_contents()
    assert "Run" in menus and "Nbgrader" not in menus, f"the menu bar: {menus}"
    assert page.get_by_title("Nbgrader Create Assignment").count() == 0
    assert page.locator(f"{NOTEBOOK} .validate-button").count() == 1
    page.keyboard.press("Control+Shift+C")  # the command palette, asked for nbgrader's
    page.keyboard.type("nbgrader")
    palette = page.locator(".lm-CommandPalette-item:visible .lm-CommandPalette-itemLabel")
    offered = set(palette.all_text_contents())
    page.keyboard.press("Escape")
    assert not offered & NBGRADER_COMMANDS, f"the command palette offers {offered}"
    assert {path: server.status(path) for path in NBGRADER_PAGES_OFF} == dict.fromkeys(
        NBGRADER_PAGES_OFF, 404)
    assert server.status(VALIDATE_PAGE) == 405
    server.end_sessions()


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[c.stem for c in CHAPTERS])
def test_a_chapter_runs_in_jupyterlab_and_its_widgets_respond(page, server, chapter):
    _run_all_cells(page, f"{server.base}/lab/tree/course/{chapter.name}"
                         f"?token={server.token}&reset")
    errors = _errors(page)
    assert not errors, f"{chapter.name}: a cell failed: {errors[0][:500]}"
    cells = page.locator(f"{NOTEBOOK} .jp-Cell")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for index, name in _explorers(chapter):
        widget = cells.nth(index).locator(".jp-OutputArea-output .jupyter-widgets").first
        try:
            widget.locator("img").first.wait_for(timeout=REDRAW_LIMIT_MS)
        except sync_api.TimeoutError:
            cells.nth(index).screenshot(path=f"{SCREENSHOTS / chapter.stem}-{index}-missing.png")
            pytest.fail(f"{chapter.name}: {name} did not render a figure")
        widget.scroll_into_view_if_needed()
        before = _figures(widget)
        shot = SCREENSHOTS / f"{chapter.stem}-{index}-{name}"
        widget.screenshot(path=f"{shot}-before.png")
        widget.evaluate(WATCH_PROGRESS_JS)
        action = _move_first_control(page, widget)
        try:
            page.wait_for_function(
                f"([element, before]) => {FIGURES_JS} !== before",
                arg=[widget.element_handle(), before], timeout=REDRAW_LIMIT_MS)
        except sync_api.TimeoutError:
            pytest.fail(f"{chapter.name}: {name}'s figures did not change within "
                        f"{REDRAW_LIMIT_MS / 1000:g} s when the test {action}")
        widget.screenshot(path=f"{shot}-after.png")
        progress_shown = widget.evaluate("element => element.dataset.progressShown") == "yes"
        assert progress_shown == (name in SHOWS_PROGRESS), (
            f"{chapter.name}: when the test {action}, {name}'s progress bar "
            + ("did not show" if name in SHOWS_PROGRESS else "showed, for no simulation"))
    broken = [text for text in page.locator(f"{NOTEBOOK} .jp-OutputArea-output")
              .all_text_contents() if "Error displaying widget" in text]
    assert not broken, f"{chapter.name}: a widget could not be shown: {broken[0][:200]}"
