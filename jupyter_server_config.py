"""JupyterLab as a learner meets it (`make start` loads this file with --config; on Binder,
`binder/postBuild` copies it into the environment's configuration folder, where the server
finds it). The folder ``binder/jupyter-config/`` turns off what nbgrader offers that a
learner on their own has no use for: the instructor's tools (formgrader, course list,
create assignment) and the assignment list (there is no exchange to fetch from); validate
stays. `make start` puts that folder first on ``JUPYTER_CONFIG_PATH``, and Binder copies it
into the same configuration folder as this file.

The server's root is the repository, so the start page's links reach both ``course/`` and
``labs/``. What a learner has no use for (the solutions, the nbgrader course with its hidden
tests, the test suites, build output, caches) is left out of the file browser and answers
404 when asked for by URL, as Jupyter already does for dot-files. This keeps the learner on
the path; it is no security boundary (a kernel or a terminal can still read any file).
"""

from fnmatch import fnmatch
from pathlib import PurePosixPath

from jupyter_server.files.handlers import FilesHandler
from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
from traitlets import default

# Names hidden anywhere in the tree, on top of Jupyter's own (caches, editor backups).
LEARNER_HIDES = ["solutions", "grader", "build", "tests", "*.egg-info"]


class LearnerContentsManager(AsyncLargeFileManager):
    """Jupyter's file manager, with every path under a hidden name treated as a hidden file:
    not listed, not opened, not saved (the contents and files handlers answer 404)."""

    @default("files_handler_class")
    def _files_handler_class_default(self) -> type:
        """/files/ through this manager, so it asks ``is_hidden`` (Jupyter's default for a
        file manager serves the disk directly and knows only dot-files)."""
        return FilesHandler

    async def is_hidden(self, path: str) -> bool:
        parts = PurePosixPath(path.strip("/")).parts
        return any(fnmatch(part, glob) for part in parts for glob in self.hide_globs) or (
            await super().is_hidden(path))


c = get_config()  # noqa: F821 (traitlets' config loader defines it)
c.ServerApp.contents_manager_class = LearnerContentsManager
c.ContentsManager.hide_globs = [*AsyncLargeFileManager.hide_globs.default(), *LEARNER_HIDES]
