"""The Zero to JupyterHub configuration (grader/classroom/z2jh/), checked without Kubernetes.

What can be checked here, with nothing but the repository: every Helm value install.sh passes
is a key the pinned chart's schema allows, with a type it allows (chart-keys.txt, the schema's
key paths extracted at that version); the hub settings are the one-machine classroom's; the
roster gives each learner a Unix user of their own; the resource guarantees fit the machines
of grader/README.md's "Sizing a workshop"; the hook that copies the course into a learner's
home keeps their work; and the guide's image build matches the configuration. Whether the
chart renders, the pods start and the exchange works on NFS is not checked here.
"""

from __future__ import annotations

import grp
import os
import re
import shlex
import subprocess
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from jupyter_server.serverapp import ServerApp
from jupyterlab_server.config import get_static_page_config
from traitlets.config import Config, PyFileConfigLoader

from grader.learner import MEMORY_LIMIT_BYTES

ROOT = Path(__file__).resolve().parents[2]
Z2JH = ROOT / "grader" / "classroom" / "z2jh"
CLASSROOM = ROOT / "grader" / "classroom"
GUIDE = ROOT / "grader" / "README.md"
ROSTER_EXAMPLE = Z2JH / "roster.example"
ROSTER_MOUNT = "/usr/local/etc/jupyterhub/classroom/passwd"
REPO_DIR_IN_IMAGE = "/srv/course"  # repo2docker's --target-repo-dir in the guide
# The passwords the guide's secrets.yaml holds (never committed).
SECRETS = {"hub": {"config": {"SharedPasswordAuthenticator": {
    "user_password": "a-workshop-password", "admin_password": "x" * 32}}}}
JSON_TYPES = {"string": str, "boolean": bool, "integer": int, "number": (int, float),
              "object": dict, "array": list, "null": type(None)}
ANY_KEY, ITEMS = "*", "[]"


def _chart_keys() -> tuple[str, dict[str, tuple[set[str], bool]]]:
    """The extract's chart version, and each key path with its types and openness."""
    version, keys = "", {}
    for line in (Z2JH / "chart-keys.txt").read_text().splitlines():
        if line.startswith("# chart-version:"):
            version = line.split(":", 1)[1].strip()
        elif line and not line.startswith("#"):
            path, types, openness = line.split("\t")
            keys[path] = (set(types.split(",")), openness == "open")
    return version, keys


def _install_script() -> str:
    return (Z2JH / "install.sh").read_text()


def _set_file_keys() -> list[str]:
    """The values install.sh fills from files (``--set-file KEY=FILE``)."""
    return re.findall(r"--set-file ([\w.-]+)=", _install_script())


def _set(values: dict, dotted: str, value: Any) -> None:
    """Set a dotted Helm key in nested values, as ``--set`` does."""
    *parents, leaf = dotted.split(".")
    for name in parents:
        values = values.setdefault(name, {})
    values[leaf] = value


def _merged(values: dict, extra: dict) -> dict:
    """Helm's merge of two values files: maps merge, anything else is replaced."""
    merged = dict(values)
    for name, value in extra.items():
        both_maps = isinstance(merged.get(name), dict) and isinstance(value, dict)
        merged[name] = _merged(merged[name], value) if both_maps else value
    return merged


def _installed_values() -> dict:
    """The values install.sh gives the chart: config.yaml, the secrets, the files."""
    values = _merged(yaml.safe_load((Z2JH / "config.yaml").read_text()), SECRETS)
    for key in _set_file_keys():
        _set(values, key, "file contents")
    return values


def _schema_entry(keys: dict, path: list[str]) -> tuple[set[str], bool] | None:
    """The extract's entry for a concrete path: its own, or a ``*`` entry matching it."""
    candidates = [""]
    for name in path:
        step = [f"{prefix}.{name}".lstrip(".") for prefix in candidates]
        step += [f"{prefix}.{ANY_KEY}".lstrip(".") for prefix in candidates]
        candidates = [c for c in step if any(k == c or k.startswith(c + ".") for k in keys)]
    return next((keys[c] for c in candidates if c in keys), None)


def schema_errors(values: Any, keys: dict, path: list[str] | None = None) -> list[str]:
    """Every value under a key the extract does not allow, or of a type it does not allow."""
    errors: list[str] = []
    path = path or []
    if isinstance(values, dict):
        children = values.items()
    elif isinstance(values, list):
        children = [(ITEMS, item) for item in values]
    else:
        return errors
    for name, value in children:
        child = [*path, str(name)]
        entry = _schema_entry(keys, child)
        if entry is None and name == ITEMS:
            continue  # the schema says nothing of this array's items
        if entry is None:
            errors.append(f"{'.'.join(child)}: not a key of the chart's schema")
            continue
        types, is_open = entry
        allowed = tuple(JSON_TYPES[t] for t in types if t in JSON_TYPES)
        if "any" not in types and not isinstance(value, allowed):
            errors.append(f"{'.'.join(child)}: {type(value).__name__}, not {sorted(types)}")
        elif not is_open:
            errors.extend(schema_errors(value, keys, child))
    return errors


def test_the_extract_is_of_the_chart_version_install_pins():
    version, keys = _chart_keys()
    pinned = re.search(r"^CHART_VERSION=(\S+)$", _install_script(), re.MULTILINE)
    assert pinned and pinned.group(1) == version, "chart-keys.txt is of another chart version"
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), "pin an exact chart version"
    assert len(keys) > 300, "the extract lost most of the schema"


def test_every_value_installed_is_a_key_the_chart_allows():
    assert schema_errors(_installed_values(), _chart_keys()[1]) == []


@pytest.mark.parametrize("wrong", [
    {"singleuser": {"memory": {"limt": "2G"}}},          # a misspelt key
    {"singleuser": {"notebookDir": "~"}},                # a key older charts had
    {"singleuser": {"cpu": {"limit": "two"}}},           # a wrong type
    {"cull": {"timeout": "1h"}},
    {"singleuser": {"extraFiles": {"x": {"mountPath": "/x", "owner": 1}}}},  # under a pattern
])
def test_the_check_refuses_what_the_schema_refuses(wrong):
    assert schema_errors(_merged(_installed_values(), wrong), _chart_keys()[1]) != []


def test_open_sections_and_unconstrained_items_take_anything():
    anything = {"hub": {"config": {"KubeSpawner": {"any_trait": {"nested": 1}}}},
                "singleuser": {"extraPodConfig": {"whatever": [1]},
                               "storage": {"dynamic": {"storageAccessModes": ["ReadWriteOnce"]}}}}
    assert schema_errors(_merged(_installed_values(), anything), _chart_keys()[1]) == []


def _local_setting(path: Path, name: str) -> str:
    """A string setting (``c.Class.trait = "value"``) of a local configuration file."""
    found = re.search(rf'^c\.{re.escape(name)} = "([^"]+)"', path.read_text(), re.MULTILINE)
    assert found, f"{path.name} sets no {name}"
    return found.group(1)


def test_the_hub_settings_are_the_one_machine_classrooms():
    values = _installed_values()
    authenticator = values["hub"]["config"]["JupyterHub"]["authenticator_class"]
    assert authenticator == _local_setting(CLASSROOM / "jupyterhub_config.py",
                                           "JupyterHub.authenticator_class")
    exchange = _local_setting(CLASSROOM / "nbgrader_config.py", "Exchange.root")
    mounts = values["singleuser"]["storage"]["extraVolumeMounts"]
    assert [m["mountPath"] for m in mounts] == [exchange]
    assert "singleuser.extraFiles.nbgrader-config.stringData" in _set_file_keys()
    assert "../nbgrader_config.py" in _install_script(), "the one-machine exchange settings"
    assert values["singleuser"]["extraFiles"]["nbgrader-config"]["mountPath"] == (
        "/etc/jupyter/nbgrader_config.py")


def _roster(path: Path = ROSTER_EXAMPLE) -> list[list[str]]:
    return [line.split(":") for line in path.read_text().splitlines()]


def test_the_roster_is_a_passwd_file_with_a_user_per_learner():
    entries = _roster()
    assert all(len(fields) == 7 for fields in entries), "seven fields a line, as /etc/passwd"
    names = [fields[0] for fields in entries]
    uids = [int(fields[2]) for fields in entries]
    assert len(set(names)) == len(names) and len(set(uids)) == len(uids)
    assert {"root", "jovyan"} <= set(names), "the image's own users stay"
    fs_gid = _installed_values()["singleuser"]["fsGid"]
    classroom = [fields for fields in entries if int(fields[3]) == fs_gid]
    assert len(classroom) >= 2 and all(int(fields[2]) >= 2000 for fields in classroom), (
        "learners' ids apart from the image's users")
    assert all(re.fullmatch(r"[a-z][a-z0-9_-]*", fields[0]) for fields in classroom), (
        "JupyterHub's names are lower case; nbgrader names a learner after this user")
    assert all(fields[5] == "/home/jovyan" for fields in classroom)


def _spawner(name: str = "someone", admin: bool = False) -> SimpleNamespace:
    """What the hub's code reads of a spawner: its user's name, and whether an admin."""
    return SimpleNamespace(user=SimpleNamespace(name=name, admin=admin))


def _hub_config(roster: Path) -> Config:
    """What the chart's hub makes of config.yaml's code (hub.extraConfig, in its order),
    with ``roster`` as the mounted roster."""
    c = Config()
    for _, code in sorted(_installed_values()["hub"]["extraConfig"].items()):
        exec(code.replace(ROSTER_MOUNT, str(roster)), {"c": c})  # as the chart's hub runs it
    return c


def test_the_hub_lets_in_the_roster_and_runs_each_server_as_its_user(tmp_path):
    roster = tmp_path / "passwd"
    roster.write_text(ROSTER_EXAMPLE.read_text())
    values = _installed_values()
    code = values["hub"]["extraConfig"]["classroom"]
    assert ROSTER_MOUNT in code and values["hub"]["extraFiles"]["roster"]["mountPath"] == (
        ROSTER_MOUNT)
    c = _hub_config(roster)
    fs_gid = values["singleuser"]["fsGid"]
    classroom = {fields[0]: int(fields[2]) for fields in _roster() if int(fields[3]) == fs_gid}
    assert c.Authenticator.allowed_users == set(classroom)
    assert {name: c.KubeSpawner.uid(_spawner(name)) for name in classroom} == classroom
    assert c.KubeSpawner.gid == fs_gid
    assert set(values["hub"]["config"]["Authenticator"]["admin_users"]) <= set(classroom)


def _one_machine_role_config(monkeypatch) -> Any:
    """The one-machine hub's JUPYTER_CONFIG_PATH for a server (a function of its spawner), as
    the hub loads its configuration when started without a path of its own."""
    monkeypatch.setenv("CLASSROOM_GROUP", grp.getgrgid(os.getgid()).gr_name)  # any group
    monkeypatch.delenv("JUPYTER_CONFIG_PATH", raising=False)
    config = PyFileConfigLoader("jupyterhub_config.py", path=str(CLASSROOM)).load_config()
    return config.Spawner.environment["JUPYTER_CONFIG_PATH"]


def test_each_server_gets_its_roles_folder_as_on_one_machine(tmp_path, monkeypatch):
    """The same split as the one-machine hub: the instructor (the admin) and a learner each
    get their role's folder, in the image's copy of the course."""
    roster = tmp_path / "passwd"
    roster.write_text(ROSTER_EXAMPLE.read_text())
    environment = _hub_config(roster).KubeSpawner.environment.get_value({})
    one_machine = _one_machine_role_config(monkeypatch)
    for admin in (True, False):
        in_image = environment["JUPYTER_CONFIG_PATH"](_spawner(admin=admin))
        assert in_image.startswith(REPO_DIR_IN_IMAGE + "/")
        in_repository = ROOT / in_image.removeprefix(REPO_DIR_IN_IMAGE + "/")
        assert in_repository.is_dir() and str(in_repository) == one_machine(
            _spawner(admin=admin))


# What a role has of nbgrader, in the image: its server extensions and JupyterLab plugins.
NBGRADER_PLUGINS = {"assignment-list", "course-list", "create-assignment", "formgrader", "menu",
                    "validate-assignment"}
LEARNERS_NBGRADER = ({"assignment_list", "validate_assignment"},
                     {"assignment-list", "menu", "validate-assignment"})
INSTRUCTORS_NBGRADER = ({"assignment_list", "course_list", "formgrader", "validate_assignment"},
                        NBGRADER_PLUGINS)


def _nbgrader_with(monkeypatch, *folders: Path) -> tuple[set[str], set[str]]:
    """nbgrader's server extensions and JupyterLab plugins that a server turns on with
    ``folders`` first on its Jupyter configuration path, as the server decides them."""
    monkeypatch.setenv("JUPYTER_CONFIG_PATH", os.pathsep.join(map(str, folders)))
    app = ServerApp()
    app.load_config_file()
    app.find_server_extensions()
    served = {name.rsplit(".", 1)[1] for name, on in app.jpserver_extensions.items()
              if on and name.startswith("nbgrader.")}
    disabled = get_static_page_config(level="all").get("disabledExtensions", {})
    return served, {plugin for plugin in NBGRADER_PLUGINS
                    if not disabled.get(f"@jupyter/nbgrader:{plugin}")}


@pytest.mark.parametrize(("role", "expected"), [("learner", LEARNERS_NBGRADER),
                                                ("instructor", INSTRUCTORS_NBGRADER)])
def test_a_roles_folder_decides_nbgrader_over_the_images_own(monkeypatch, role, expected):
    """The image's own settings are the self-paced learner's (binder/jupyter-config/, which
    binder/postBuild installs): the role's folder, put before them, turns back on what the
    role has, whatever they say."""
    role_folder = CLASSROOM / f"{role}-config"
    assert _nbgrader_with(monkeypatch, role_folder, ROOT / "binder" / "jupyter-config") == expected


def _quantity(text: str | float) -> float:
    """A Kubernetes quantity (512M, 2G, 0.2) as a number of bytes or cores."""
    units = {"": 1, "K": 1e3, "M": 1e6, "G": 1e9, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30}
    number, unit = re.fullmatch(r"([\d.]+)([KMG]i?)?", str(text)).groups()
    return float(number) * units[unit or ""]


def test_the_guarantees_fit_the_machines_of_the_sizing_table():
    section = GUIDE.read_text().split("## Sizing a workshop", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (\d+) \| (\d+) GB \| (\d+) \|", section, re.MULTILINE)
    assert len(rows) == 3, "the guide's table of 30, 100 and 300 learners"
    singleuser = _installed_values()["singleuser"]
    memory, cpu = singleuser["memory"], singleuser["cpu"]
    for learners, gigabytes, cores in rows:
        assert int(learners) * _quantity(memory["guarantee"]) <= int(gigabytes) * 1e9
        assert int(learners) * _quantity(cpu["guarantee"]) <= int(cores)
    assert _quantity(memory["limit"]) >= (MEMORY_LIMIT_BYTES + _quantity(memory["guarantee"])), (
        "the grader's limit on a learner's process, not the pod's, ends a greedy submission")
    assert _quantity(cpu["limit"]) >= 2, "a grading of lab 07 or 08 uses two processes"


def test_the_start_hook_copies_the_course_home_and_keeps_a_learners_work(tmp_path):
    command = _installed_values()["singleuser"]["lifecycleHooks"]["postStart"]["exec"]["command"]
    assert command[:2] == ["sh", "-c"]
    script = command[2].replace(REPO_DIR_IN_IMAGE, shlex.quote(str(ROOT)))
    home = tmp_path / "home"
    home.mkdir()
    run = [*command[:2], script]
    subprocess.run(run, env={"HOME": str(home), "PATH": "/usr/bin:/bin"}, check=True)
    start_page = home / "course" / "start-here.ipynb"
    lab = home / "labs" / "02-retries" / "02-retries.ipynb"
    assert start_page.is_file() and lab.is_file()
    assert not (home / "course" / "resilience").exists(), "the package stays in the image"
    lab.write_text("the learner's answer")
    subprocess.run(run, env={"HOME": str(home), "PATH": "/usr/bin:/bin"}, check=True)
    assert lab.read_text() == "the learner's answer"
    default_url = _installed_values()["singleuser"]["defaultUrl"]
    assert default_url == "/lab/tree/" + str(start_page.relative_to(home))


def test_the_guide_builds_the_image_the_configuration_runs():
    build = re.search(r"^ *(jupyter-repo2docker .*)$", GUIDE.read_text(), re.MULTILINE)
    assert build, "the guide gives the repo2docker command"
    words = shlex.split(build.group(1))
    image = _installed_values()["singleuser"]["image"]
    assert words[words.index("--image-name") + 1] == f"{image['name']}:{image['tag']}"
    assert words[words.index("--target-repo-dir") + 1] == REPO_DIR_IN_IMAGE
    assert "--no-run" in words and words[-1] == "."
    jovyan = next(fields for fields in _roster() if fields[0] == "jovyan")
    assert words[words.index("--user-id") + 1] == jovyan[2], "the image's user, in the roster"
    assert (ROOT / "binder" / "requirements.txt").is_file(), "repo2docker reads binder/"
