"""A whole class on JupyterHub, on this machine: the classroom of grader/classroom, for real.

The hub runs grader/classroom/jupyterhub_config.py (the test adds ports, its learners'
group and password, its instructor's user and password, an API token, and where the
learners' Python and settings are); each
learner is a system user of their own, created here with ``useradd`` as The Littlest
JupyterHub creates them (home folder closed to others), and nbgrader's exchange is a shared
folder (mode 1777) configured by grader/classroom/nbgrader_config.py. The instructor (root)
releases lab 02 from a copy of the course; the learners log in at the hub's login form and
their servers start; each fetches the lab and submits with nbgrader as their own user; the
instructor collects, grades with ``python -m grader batch`` and releases the feedback; each
learner fetches their own.

The learners: alice submits a blank notebook, then the solution (submit twice: the newest
is collected); bob submits the blank release, then the solution after the collection (too
late: it is not collected unless the instructor collects again with ``--update``); carol a
wrong answer; dave, who never logs in, lab 03's notebook under lab 02's name (not graded).
Bob also logs in through Chromium and opens the lab in his JupyterLab, where he finds the
Assignment List and Validate but none of the instructor's tools. The instructor has an
account on the hub too (its admin, a system user outside the learners' group) whose server
has them all.

Needs root, ``useradd``, JupyterHub and its proxy (``make test`` installs both); skipped,
saying why, without them. Users, processes and files are removed even when a step fails.
"""

from __future__ import annotations

import json
import os
import pwd
import re
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import sysconfig
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import NamedTuple

import pytest

from grader.submissions import WRONG_ANSWERS, answer_file_notebook, load_answer_file

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "course" / "tests"))  # the browser tests' shared helpers
from browser_helpers import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_FLAGS,
    NOTEBOOK,
    free_port,
    wait_for_notebook,
)

CLASSROOM = REPO / "grader" / "classroom"
LAB = "02-retries"
OTHER_LAB = "03-partial-failures"
WRONG_ANSWER = WRONG_ANSWERS / LAB / "no_jitter.py"
COURSE_ID = "resilient-cloud-systems"
ENVIRONMENT_BIN = Path(sys.executable).parent
PROXY = Path(sys.prefix) / "hub" / "node_modules" / ".bin" / "configurable-http-proxy"
LEARNERS = ("alice", "bob", "carol", "dave")
INSTRUCTOR = "instructor"  # the hub's admin: a system user of their own, not a learner
ON_THE_HUB = ("alice", "bob", "carol")  # dave only submits, from a shell
HUB_START_S = 60
SERVER_START_S = 60
HUB_STOP_S = 20
COMMAND_LIMIT_S = 120
EXCHANGE_MODE = 0o1777  # everyone writes, nobody deletes another's files (nbgrader's docs)

pytestmark = [pytest.mark.xdist_group("classroom"), pytest.mark.slow]
if os.geteuid() != 0:
    pytest.skip("creates system users for the learners: run as root (CI does)",
                allow_module_level=True)
if not (shutil.which("useradd") and shutil.which("runuser")):
    pytest.skip("needs useradd and runuser (Debian's passwd and util-linux)",
                allow_module_level=True)
pytest.importorskip("jupyterhub", reason="make test installs JupyterHub (the test extras)")
if not PROXY.exists():
    pytest.skip(f"needs configurable-http-proxy at {PROXY}: make test installs it",
                allow_module_level=True)
requests = pytest.importorskip("requests", reason="JupyterHub's own dependency")


def _run(command: list[str], **options) -> subprocess.CompletedProcess:
    """Run a command to its end; fail the test with its output if it fails."""
    completed = subprocess.run(command, capture_output=True, text=True,
                               timeout=COMMAND_LIMIT_S, **options)
    assert completed.returncode == 0, (f"{' '.join(command)} failed:\n"
                                       f"{completed.stdout}{completed.stderr}")
    return completed


class Machine(NamedTuple):
    """The class's machine: its users (by role name), their group, and the shared folders."""

    users: dict[str, str]  # alice (and the instructor) -> the system user's name
    group: str
    root: Path  # everything the test makes: exchange, config, hub, instructor
    password: str
    instructor_password: str  # the hub's admin password: 32 characters at least
    python: Path  # the course's environment, as the learners run it

    @property
    def exchange(self) -> Path:
        return self.root / "exchange"

    @property
    def config(self) -> Path:
        """What Jupyter's configuration path adds for everyone: the exchange's settings."""
        return self.root / "config"

    @property
    def config_path(self) -> str:
        """Jupyter's configuration path for everyone: the exchange's settings, then the
        course environment's own (which server extensions it runs: JupyterLab, nbgrader)."""
        return os.pathsep.join([str(self.config), str(Path(sys.prefix) / "etc" / "jupyter")])

    @property
    def course(self) -> Path:
        """The instructor's copy of the nbgrader course (``grader/``), closed to learners."""
        return self.root / "instructor" / "grader"

    def home(self, learner: str) -> Path:
        return Path(pwd.getpwnam(self.users[learner]).pw_dir)

    def environment(self, **extra: str) -> dict[str, str]:
        """The course's environment first on PATH, and the exchange's configuration."""
        return {"PATH": os.pathsep.join([str(self.python.parent), str(ENVIRONMENT_BIN),
                                         "/usr/sbin", "/usr/bin", "/sbin", "/bin"]),
                "JUPYTER_CONFIG_PATH": self.config_path, "LANG": "C.UTF-8",
                "PYTHONDONTWRITEBYTECODE": "1", **extra}

    def as_learner(self, learner: str, *command: str) -> subprocess.CompletedProcess:
        """Run a command in the learner's home folder as the learner's own system user."""
        user, home = self.users[learner], str(self.home(learner))
        return _run(["runuser", "-u", user, "--", *command], cwd=home,
                    env=self.environment(HOME=home, USER=user, LOGNAME=user))

    def nbgrader(self, learner: str, *args: str) -> subprocess.CompletedProcess:
        """A learner's nbgrader command (fetch_assignment, submit, fetch_feedback)."""
        return self.as_learner(learner, str(self.python), "-m", "nbgrader", *args)

    def instructor(self, *args: str) -> subprocess.CompletedProcess:
        """The instructor's nbgrader command, run in the course folder."""
        return _run([sys.executable, "-m", "nbgrader", *args], cwd=self.course,
                    env=self.environment(HOME=os.environ.get("HOME", "/root")))


def _uids(users) -> set[int]:
    return {pwd.getpwnam(user).pw_uid for user in users}


def _processes_of(uids: set[int]) -> list[int]:
    """The ids of the running processes owned by any of ``uids``."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            text = status.read_text()
        except OSError:  # ended meanwhile
            continue
        real_uid = int(re.search(r"^Uid:\s+(\d+)", text, re.M).group(1))
        if real_uid in uids:
            found.append(int(status.parent.name))
    return found


@pytest.fixture(scope="module")
def machine():
    """The learners' and the instructor's system users, the learners' group, the exchange,
    and the course's copy; all removed afterwards, with every process those users still
    run."""
    tag = secrets.token_hex(3)
    users = {person: f"{person}-{tag}" for person in (*LEARNERS, INSTRUCTOR)}
    group = f"class-{tag}"
    root = Path(tempfile.mkdtemp(prefix="classroom-"))
    root.chmod(0o755)  # learners reach the exchange and the configuration in it
    created: list[str] = []
    try:
        _run(["groupadd", group])
        for person, user in users.items():
            # As The Littlest JupyterHub: a home of their own that other users cannot read.
            groups = [] if person == INSTRUCTOR else ["--groups", group]
            _run(["useradd", "--create-home", *groups, "-K", "HOME_MODE=0700", user])
            created.append(user)
        _lay_out(root)
        yield Machine(users, group, root, password=f"workshop-{secrets.token_hex(8)}",
                      instructor_password=secrets.token_hex(16),
                      python=_learners_python(root))
    finally:
        if created:
            uids = _uids(created)
            for pid in _processes_of(uids):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
        for user in created:
            subprocess.run(["userdel", "--remove", "--force", user], capture_output=True)
        subprocess.run(["groupdel", group], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


def _lay_out(root: Path) -> None:
    """The exchange (as nbgrader documents it), everyone's configuration (the classroom's,
    with the exchange here), and the instructor's course: lab 02's source and release."""
    (root / "exchange").mkdir()
    (root / "exchange").chmod(EXCHANGE_MODE)
    (root / "config").mkdir()
    (root / "config" / "nbgrader_config.py").write_text(
        f"load_subconfig({str(CLASSROOM / 'nbgrader_config.py')!r})\n"
        f"c.Exchange.root = {str(root / 'exchange')!r}\n")
    instructor = root / "instructor"
    instructor.mkdir(mode=0o700)
    course = instructor / "grader"
    shutil.copytree(REPO / "grader" / "source" / LAB, course / "source" / LAB)
    shutil.copy(REPO / "grader" / "source" / "header.ipynb", course / "source")
    shutil.copy(REPO / "grader" / "nbgrader_config.py", course)
    shutil.copytree(REPO / "labs" / LAB, instructor / "labs" / LAB)  # the release folder


def _runnable_by_everyone(path: Path) -> bool:
    """Whether any user may run ``path``: it, and every folder on its way, open to others."""
    real = Path(os.path.realpath(path))
    return all(os.stat(step).st_mode & stat.S_IXOTH for step in [real, *real.parents])


def _learners_python(root: Path) -> Path:
    """The course's environment as learners can run it. A venv is only as open as the
    Python it was made from: one under /root (pyenv's, on this project's machines) is
    closed to other users. Then the learners get a venv of the system's Python of the same
    version, which adds the course environment's packages to its own."""
    if _runnable_by_everyone(Path(sys.executable)):
        return Path(sys.executable)
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    system = Path("/usr/bin") / version
    if not (system.exists() and _runnable_by_everyone(system)):
        pytest.skip(f"the course's Python ({os.path.realpath(sys.executable)}) is closed to "
                    f"other users, and there is no {system} to run the course instead")
    bridge = root / "learners-env"
    _run([str(system), "-m", "venv", "--without-pip", str(bridge)])
    course_packages = sysconfig.get_paths()["purelib"]
    (bridge / "lib" / version / "site-packages" / "course-environment.pth").write_text(
        f"import site; site.addsitedir({course_packages!r})\n")
    return bridge / "bin" / "python"


class Hub(NamedTuple):
    """A running hub: its public URL and the test's API token."""

    url: str
    token: str
    log: Path

    def api(self, method: str, path: str) -> requests.Response:
        answer = requests.request(method, f"{self.url}/hub/api/{path}", timeout=30,
                                  headers={"Authorization": f"token {self.token}"})
        answer.raise_for_status()
        return answer

    def server(self, method: str, user: str, path: str, **options) -> requests.Response:
        """A learner's own JupyterLab server, through the hub's proxy."""
        answer = self.ask_server(method, user, path, **options)
        answer.raise_for_status()
        return answer

    def ask_server(self, method: str, user: str, path: str, **options) -> requests.Response:
        """What a user's server answers, whatever its status."""
        return requests.request(method, f"{self.url}/user/{user}/{path}", timeout=30,
                                headers={"Authorization": f"token {self.token}"}, **options)


@pytest.fixture(scope="module")
def hub(machine):
    """JupyterHub with the classroom's configuration; the test adds free ports, its group of
    learners and password, and a service token that may start and reach their servers."""
    port, hub_port, api_port = free_port(), free_port(), free_port()
    folder = machine.root / "hub"
    folder.mkdir(mode=0o700)
    token = secrets.token_hex(32)
    data = Path(sys.prefix) / "share" / "jupyter"  # Jupyter's data in the course's environment
    config = folder / "jupyterhub_config.py"
    config.write_text("\n".join([
        f"load_subconfig({str(CLASSROOM / 'jupyterhub_config.py')!r})",
        f"c.JupyterHub.bind_url = 'http://127.0.0.1:{port}'",
        f"c.JupyterHub.hub_port = {hub_port}",
        f"c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:{api_port}'",
        # The servers run the course's environment as the learners can (_learners_python),
        # with Jupyter's data from the course's environment (JupyterLab's pages, nbconvert's
        # templates for the formgrader), and, after their role's, the Jupyter configuration
        # path the hub is started with (the exchange's settings).
        f"c.Spawner.cmd = [{str(machine.python)!r}, '-m', 'jupyterhub.singleuser']",
        f"c.Spawner.environment.update(JUPYTER_PATH={str(data)!r},",
        f"    JUPYTERLAB_DIR={str(data / 'lab')!r})",
        # The machine fixture ends the learners' servers at once (the hub takes 20 s).
        "c.JupyterHub.cleanup_servers = False",
        f"c.JupyterHub.services = [{{'name': 'class-test', 'api_token': {token!r}}}]",
        "c.JupyterHub.load_roles = [{'name': 'class-test', 'services': ['class-test'],",
        "    'scopes': ['admin:servers', 'access:servers', 'read:users']}]", ""]))
    log = folder / "hub.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [str(ENVIRONMENT_BIN / "jupyterhub"), "-f", str(config)], cwd=folder,
            stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
            env=machine.environment(CLASSROOM_GROUP=machine.group,
                                    CLASSROOM_PASSWORD=machine.password,
                                    CLASSROOM_INSTRUCTOR=machine.users[INSTRUCTOR],
                                    CLASSROOM_INSTRUCTOR_PASSWORD=machine.instructor_password,
                                    HOME=os.environ.get("HOME", "/root")))
    running = Hub(f"http://127.0.0.1:{port}", token, log)
    try:
        _wait_for(lambda: _answers(f"{running.url}/hub/api"), HUB_START_S,
                  lambda: f"the hub did not start: {log.read_text()[-3000:]}")
        yield running
    finally:
        os.killpg(process.pid, signal.SIGTERM)  # the hub stops its proxy, and then
        try:
            process.wait(timeout=HUB_STOP_S)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        proxy = folder / "jupyterhub-proxy.pid"  # left only if the hub could not stop it
        if proxy.exists():
            try:
                os.kill(int(proxy.read_text()), signal.SIGKILL)
            except (ProcessLookupError, ValueError):
                pass


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).ok
    except requests.ConnectionError:
        return False


def _wait_for(condition, limit_s: float, failure) -> None:
    """Poll ``condition`` until it holds; fail with ``failure()`` after ``limit_s``."""
    deadline = time.monotonic() + limit_s
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(failure())
        time.sleep(0.2)


def _log_in(hub: Hub, user: str, password: str) -> None:
    """Log in at the hub's login form, as a browser posts it; the hub then starts the
    learner's server."""
    session = requests.Session()
    form = session.get(f"{hub.url}/hub/login", timeout=30)
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', form.text).group(1)
    answer = session.post(f"{hub.url}/hub/login", timeout=30,
                          data={"username": user, "password": password, "_xsrf": xsrf})
    where = [step.headers["Location"] for step in answer.history]
    assert f"/hub/spawn-pending/{user}" in answer.url or f"/user/{user}/" in answer.url, (
        f"{user}'s login led to {answer.url} ({answer.status_code}) by {where}: "
        f"{_hub_log(hub)}")


def _wait_for_server(hub: Hub, user: str) -> None:
    def ready() -> bool:
        servers = hub.api("GET", f"users/{user}").json()["servers"]
        return bool(servers.get("", {}).get("ready"))
    _wait_for(ready, SERVER_START_S,
              lambda: f"{user}'s server did not start: {_hub_log(hub)}")


def _hub_log(hub: Hub) -> str:
    """The end of the hub's log, without the test's own polling."""
    lines = [line for line in hub.log.read_text().splitlines()
             if "(class-test@" not in line]
    return "\n".join(lines[-40:])


def _notebook(path: Path) -> dict:
    return json.loads(path.read_text())


def _answer_cells(notebook: dict) -> list[str]:
    """What a notebook's answers are: the source of its code cells."""
    return ["".join(cell["source"]) for cell in notebook["cells"]
            if cell["cell_type"] == "code"]


def _learner_works(machine: Machine, hub: Hub, learner: str) -> None:
    """A learner's part, from fetching the lab to submitting it (see the module's text)."""
    lab_file = f"{LAB}/{LAB}.ipynb"
    machine.nbgrader(learner, "fetch_assignment", LAB)
    if learner in ("alice", "bob"):
        machine.nbgrader(learner, "submit", LAB)  # the blank release, as fetched
    if learner in ON_THE_HUB:
        _wait_for_server(hub, machine.users[learner])
    answers = {"alice": lambda: _notebook(REPO / "solutions" / lab_file),
               "carol": lambda: answer_file_notebook(load_answer_file(WRONG_ANSWER))}
    if learner in answers:  # saved through the learner's own server, as JupyterLab saves
        hub.server("PUT", machine.users[learner], f"api/contents/{lab_file}",
                   json={"type": "notebook", "format": "json", "content": answers[learner]()})
    if learner == "dave":  # lab 03's notebook, saved under lab 02's name
        (machine.home(learner) / lab_file).write_text(
            (REPO / "solutions" / OTHER_LAB / f"{OTHER_LAB}.ipynb").read_text())
    if learner != "bob":
        machine.nbgrader(learner, "submit", LAB)


@pytest.fixture(scope="module")
def whole_class(machine, hub) -> dict[str, list[str]]:
    """Run the class from release to fetched feedback; the tests below check each part.
    Returns each learner's fetched feedback pages, and prints how long each part took."""
    seconds: dict[str, float] = {}
    started = time.monotonic()

    def lap(part: str) -> None:
        seconds[part] = round(time.monotonic() - started - sum(seconds.values()), 1)

    results = machine.course.parent / "results"
    with ThreadPoolExecutor(max_workers=len(LEARNERS)) as pool:
        release = pool.submit(machine.instructor, "release_assignment", LAB)
        for learner in ON_THE_HUB:  # the hub starts their servers meanwhile
            _log_in(hub, machine.users[learner], machine.password)
        _log_in(hub, machine.users[INSTRUCTOR], machine.instructor_password)
        release.result()
        list(pool.map(lambda learner: _learner_works(machine, hub, learner), LEARNERS))
        lap("release, log in, fetch, answer, submit")
        machine.instructor("collect", LAB)
        bobs = machine.home("bob") / LAB / f"{LAB}.ipynb"  # bob's solution comes too late
        bobs.write_text((REPO / "solutions" / LAB / f"{LAB}.ipynb").read_text())
        machine.nbgrader("bob", "submit", LAB)
        machine.instructor("collect", LAB)  # again, without --update
        lap("collect, a late submission, collect")
        grading = _run([sys.executable, "-m", "grader", "batch", str(machine.course),
                        "--out", str(results), "--jobs", "2"])
        print(grading.stdout)
        _run([sys.executable, str(CLASSROOM / "nbgrader_feedback.py"), str(machine.course),
              str(results)])
        machine.instructor("release_feedback", LAB)
        lap("grade, release feedback")
        list(pool.map(lambda learner: machine.nbgrader(learner, "fetch_feedback", LAB),
                      LEARNERS))
        lap("fetch feedback")
    print("the class, in seconds:", seconds)
    return {learner: [page.read_text() for page in sorted(
                (machine.home(learner) / LAB / "feedback").glob(f"*/{LAB}.html"))]
            for learner in LEARNERS}


def _collected(machine: Machine, learner: str) -> list[str]:
    return _answer_cells(_notebook(
        machine.course / "submitted" / machine.users[learner] / LAB / f"{LAB}.ipynb"))


def _inbound(machine: Machine, learner: str) -> list[str]:
    """The learner's submissions in the exchange, as nbgrader names them: user+lab+time+random."""
    inbound = machine.exchange / COURSE_ID / "inbound"
    return sorted(path.name for path in inbound.glob(f"{machine.users[learner]}+{LAB}+*"))


def _score(page: str) -> tuple[float, float]:
    found = re.search(r"Score: <strong>([\d.]+)</strong> of ([\d.]+) points", page)
    assert found, f"no score on the page: {page[:500]}"
    return float(found.group(1)), float(found.group(2))


def test_each_learner_fetches_their_own_feedback_and_nobody_elses(machine, whole_class):
    """One page each, naming its learner and no other, with the score of what was graded."""
    pages = whole_class
    assert {learner: len(found) for learner, found in pages.items()} == dict.fromkeys(
        LEARNERS, 1), "each learner gets one page: for the one submission collected"
    for learner, (page,) in pages.items():
        assert f"for {machine.users[learner]}" in page
        others = [user for other, user in machine.users.items() if other != learner]
        assert not [user for user in others if user in page], f"{learner} sees another's name"
    alice, bob, carol = (_score(pages[learner][0]) for learner in ("alice", "bob", "carol"))
    assert alice[0] == alice[1] > 0, "alice's newest submission (the solution) was graded"
    assert bob[0] == 0, "bob's blank submission was graded, not his late solution"
    assert 0 < carol[0] < carol[1], "carol's wrong answer earns part of the points"


def test_a_learners_server_runs_as_their_own_system_user(machine, whole_class):
    """What a learner's JupyterLab saves belongs to the learner's own user."""
    for learner in ("alice", "carol"):  # their answers were saved by their servers
        saved = machine.home(learner) / LAB / f"{LAB}.ipynb"
        assert saved.stat().st_uid == _uids([machine.users[learner]]).pop()


def test_submitting_twice_keeps_both_and_collect_takes_the_newest(machine, whole_class):
    """Alice submitted the blank release, then the solution: both are in the exchange, each
    with its timestamp, and the instructor collected the newest."""
    submissions = _inbound(machine, "alice")
    assert len(submissions) == 2 and len({name.split("+")[2] for name in submissions}) == 2
    assert _collected(machine, "alice") == _answer_cells(
        _notebook(REPO / "solutions" / LAB / f"{LAB}.ipynb"))


def test_a_notebook_of_another_lab_is_submitted_but_not_graded(machine, whole_class):
    """nbgrader takes any notebook under the lab's name; the grader refuses to grade lab 03's
    notebook as lab 02, and its feedback page tells dave which lab he submitted."""
    (page,) = whole_class["dave"]
    assert _score(page)[0] == 0 and f"lab {OTHER_LAB}" in page


def test_a_submission_after_collect_waits_for_collect_update(machine, whole_class):
    """Bob's solution came after the collection: his blank submission was graded (his page
    says 0), and a second ``collect`` leaves it; ``collect --update`` takes the newer one."""
    release = _answer_cells(_notebook(REPO / "labs" / LAB / f"{LAB}.ipynb"))
    assert len(_inbound(machine, "bob")) == 2
    assert _collected(machine, "bob") == release
    machine.instructor("collect", "--update", LAB)
    assert _collected(machine, "bob") == _answer_cells(
        _notebook(REPO / "solutions" / LAB / f"{LAB}.ipynb"))


# Run as bob: what he may reach of alice's work. Prints each path and what happened.
TRY_TO_READ = """
import json, os, sys
outcomes = {}
for path in sys.argv[1:]:
    try:
        os.listdir(path) if os.path.isdir(path) else open(path).read()
        outcomes[path] = "read"
    except PermissionError:
        outcomes[path] = "denied"
print(json.dumps(outcomes))
"""


def test_a_learner_cannot_read_another_learners_submission_or_feedback(machine, whole_class):
    """Through the exchange, bob cannot list the submissions or the released feedback (whose
    names only their owners' secrets give); alice's home folder, with her notebook and her
    nbgrader cache (those secrets), is closed to him, and so is the instructor's course, with
    everyone's collected submission and page."""
    course = machine.exchange / COURSE_ID
    alice = machine.home("alice")
    alices = machine.users["alice"]
    paths = [course / "inbound", course / "feedback", alice, alice / LAB / f"{LAB}.ipynb",
             alice / ".local" / "share" / "jupyter" / "nbgrader_cache",
             machine.course / "submitted" / alices / LAB / f"{LAB}.ipynb",
             machine.course / "feedback" / alices / LAB / f"{LAB}.html"]
    assert all(path.exists() for path in paths)  # denied, not missing
    tried = machine.as_learner("bob", str(machine.python), "-c", TRY_TO_READ,
                               *map(str, paths))
    assert json.loads(tried.stdout) == {str(path): "denied" for path in paths}


# What only the instructor has of nbgrader: its JupyterLab plugins, and the pages of its
# server extensions (the formgrader's, the course list's); a learner keeps the assignment
# list and validate (whose handler answers POST only: 405 to a GET, 404 where it is off).
INSTRUCTOR_PLUGINS = {f"@jupyter/nbgrader:{plugin}"
                      for plugin in ("formgrader", "course-list", "create-assignment")}
INSTRUCTOR_PAGES = ("formgrader", "formgraders")
VALIDATE_PAGE = "assignments/validate"
PAGE_CONFIG = re.compile(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                         re.S)


def _nbgrader_plugins_off(hub: Hub, user: str) -> set[str]:
    """nbgrader's JupyterLab plugins that the user's JupyterLab page turns off."""
    config = json.loads(PAGE_CONFIG.search(hub.server("GET", user, "lab").text).group(1))
    return {name for name in config["disabledExtensions"] if name.startswith("@jupyter/nbgrader")}


def test_only_the_instructors_server_has_the_instructor_tools(machine, hub, whole_class):
    """The instructor, who logged in with their own password, is the hub's admin, and their
    JupyterLab has all of nbgrader; a learner's lists and validates the lab, and has none
    of the instructor's tools, in JupyterLab or by URL."""
    instructor, bob = machine.users[INSTRUCTOR], machine.users["bob"]
    _wait_for_server(hub, instructor)
    assert hub.api("GET", f"users/{instructor}").json()["admin"]
    assert not hub.api("GET", f"users/{bob}").json()["admin"]
    assert _nbgrader_plugins_off(hub, instructor) == set()
    assert _nbgrader_plugins_off(hub, bob) == INSTRUCTOR_PLUGINS
    for page in INSTRUCTOR_PAGES:
        assert hub.ask_server("GET", instructor, page).status_code == 200, (
            f"{page}: {_hub_log(hub)}")
        assert hub.ask_server("GET", bob, page).status_code == 404, page
    for user in (instructor, bob):
        assert hub.ask_server("GET", user, VALIDATE_PAGE).status_code == 405
    listed = hub.server("GET", bob, f"assignments?course_id={COURSE_ID}").json()
    assert LAB in {assignment["assignment_id"] for assignment in listed["value"]}, listed


def test_a_learner_logs_in_through_the_browser_and_opens_the_lab(machine, hub, whole_class):
    """Bob, as a person: the hub's login page, his password, his JupyterLab, his lab; in it,
    nbgrader's menu offers him the Assignment List alone, the notebook's toolbar has
    Validate, and there is no Create Assignment sidebar."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    if not Path(CHROMIUM).exists():
        pytest.skip("needs Debian's chromium (apt-get install chromium; .ci/run installs it)")
    user = machine.users["bob"]
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(f"{hub.url}/hub/login")
            page.fill("#username_input", user)
            page.fill("#password_input", machine.password)
            page.click("#login_submit")
            page.wait_for_url(f"**/user/{user}/lab**", timeout=SERVER_START_S * 1000)
            page.goto(f"{hub.url}/user/{user}/lab/tree/{LAB}/{LAB}.ipynb")
            wait_for_notebook(page, f"{LAB}.ipynb", SERVER_START_S)
            page.locator("#jp-menu-panel .lm-MenuBar-item", has_text="Nbgrader").click()
            items = page.locator(".lm-Menu .lm-Menu-itemLabel:visible")
            items.first.wait_for()
            offered = items.all_text_contents()
            page.keyboard.press("Escape")
            assert offered == ["Assignment List"]
            assert page.get_by_title("Nbgrader Create Assignment").count() == 0
            assert page.locator(f"{NOTEBOOK} .validate-button").count() == 1
        finally:
            browser.close()
