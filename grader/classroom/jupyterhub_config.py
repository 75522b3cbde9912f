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
for graded work, where you set another authenticator (see grader/README.md).
"""

import grp
import os
import sys

c = get_config()  # type: ignore[name-defined]  # noqa: F821 - JupyterHub provides it when it loads this file

LEARNERS_GROUP = os.environ.get("CLASSROOM_GROUP", "learners")
ENVIRONMENT_BIN = os.path.join(sys.prefix, "bin")  # the course's venv, which runs the hub

c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = os.environ.get("CLASSROOM_PASSWORD")
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
# A learner's terminal finds the course's nbgrader, python and jupyter first.
c.Spawner.environment = {"PATH": os.pathsep.join([ENVIRONMENT_BIN, "/usr/local/bin", "/usr/bin",
                                                  "/bin"])}
# The proxy the project's setup installs into the environment (`make test`; see Makefile).
c.ConfigurableHTTPProxy.command = [
    os.path.join(sys.prefix, "hub", "node_modules", ".bin", "configurable-http-proxy")]
