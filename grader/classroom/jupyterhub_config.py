"""JupyterHub for a classroom on one machine: each learner a system user of their own.

As The Littlest JupyterHub does it: the hub runs as root, and starts each learner's
JupyterLab as that learner's Unix user (``LocalProcessSpawner``), in their home folder, so
the operating system keeps learners apart, and nbgrader's exchange (``nbgrader_config.py``
beside this file) knows who submitted what. Start it from a folder of its own (it keeps its
database and cookie secret there), in the course's environment::

    CLASSROOM_PASSWORD=... jupyterhub -f grader/classroom/jupyterhub_config.py

Who may log in: the members of the Unix group ``learners`` (``CLASSROOM_GROUP`` names
another), with one shared workshop password (``CLASSROOM_PASSWORD``, 8 characters at
least). Anyone who has that password can log in as any learner: fine for a workshop, not
for graded work, where you set another authenticator (see grader/README.md). The
instructor may have an account too, as on Zero to JupyterHub: ``CLASSROOM_INSTRUCTOR``
names their Unix user (outside the learners' group), the hub's admin, who logs in with a
password of their own (``CLASSROOM_INSTRUCTOR_PASSWORD``, 32 characters at least).

What each server offers of nbgrader: a learner fetches, submits and validates (the
Assignment List and the notebook's Validate button) but has none of the instructor's
tools (formgrader, course list, create assignment: neither their JupyterLab plugins nor
their server extensions); the instructor has them all. Each role is a Jupyter configuration
folder beside this file, ``learner-config/`` and ``instructor-config/``, put first on the
server's ``JUPYTER_CONFIG_PATH``, where it takes precedence over the environment's own
settings (the course's environment, or an image built from binder/, which has the
self-paced learner's).
"""

import grp
import os
import sys

c = get_config()  # type: ignore[name-defined]  # noqa: F821 - JupyterHub provides it when it loads this file

LEARNERS_GROUP = os.environ.get("CLASSROOM_GROUP", "learners")
ENVIRONMENT_BIN = os.path.join(sys.prefix, "bin")  # the course's venv, which runs the hub

c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ.get("CLASSROOM_PASSWORD")
INSTRUCTOR = os.environ.get("CLASSROOM_INSTRUCTOR")
if INSTRUCTOR:
    c.Authenticator.admin_users = {INSTRUCTOR}
    c.SharedPasswordAuthenticator.admin_password = os.environ.get("CLASSROOM_INSTRUCTOR_PASSWORD")
try:
    c.Authenticator.allowed_users = set(grp.getgrnam(LEARNERS_GROUP).gr_mem)
except KeyError:
    sys.exit(f"No Unix group {LEARNERS_GROUP!r}: create it, and the learners in it "
             "(grader/README.md, 'A classroom on JupyterHub').")

# Each learner's server runs as their own system user, from the course's environment.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [os.path.join(ENVIRONMENT_BIN, "jupyterhub-singleuser")]
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = "/lab"
ROLE_CONFIG = {"learner": os.path.join(os.path.dirname(__file__), "learner-config"),
               "instructor": os.path.join(os.path.dirname(__file__), "instructor-config")}


def jupyter_config_path(spawner) -> str:
    """The server's Jupyter configuration path: its user's role (the hub's admin is the
    instructor), then the path the hub was started with, if any."""
    role = ROLE_CONFIG["instructor" if spawner.user.admin else "learner"]
    return os.pathsep.join(filter(None, [role, os.environ.get("JUPYTER_CONFIG_PATH")]))


# A learner's terminal finds the course's nbgrader, python and jupyter first.
c.Spawner.environment = {"PATH": os.pathsep.join([ENVIRONMENT_BIN, "/usr/local/bin", "/usr/bin",
                                                  "/bin"]),
                         "JUPYTER_CONFIG_PATH": jupyter_config_path}
# The proxy the project's setup installs into the environment (`make test`; see Makefile).
c.ConfigurableHTTPProxy.command = [
    os.path.join(sys.prefix, "hub", "node_modules", ".bin", "configurable-http-proxy")]
