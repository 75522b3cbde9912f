"""Notebooks: clean in git, and every chapter and solution runs top to bottom."""

import json
from pathlib import Path

import nbformat
import pytest
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(p for folder in ("course", "labs", "solutions", "grader/source")
                   for p in (ROOT / folder).rglob("*.ipynb") if ".ipynb_checkpoints" not in str(p))
CHAPTERS = sorted((ROOT / "course").glob("[0-9][0-9]-*.ipynb"))
SOLUTIONS = sorted((ROOT / "solutions").glob("*/*.ipynb"))
CELL_TIMEOUT_S = 120


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_has_no_outputs_or_execution_counts(path):
    notebook = json.loads(path.read_text())
    dirty = [i for i, cell in enumerate(notebook["cells"]) if cell["cell_type"] == "code"
             and (cell.get("outputs") or cell.get("execution_count") is not None)]
    assert not dirty, (f"{path.name}: cells {dirty} carry outputs or execution counts. Clear "
                       "them (jupyter nbconvert --clear-output --inplace) before committing.")


def run(path: Path, sockets: Path) -> nbformat.NotebookNode:
    """Run a notebook top to bottom in a fresh kernel that talks over IPC sockets in the
    folder ``sockets``, not TCP ports: a kernel given a free port can find it taken by
    another test's kernel or server before it binds, and die before it answers."""
    notebook = nbformat.read(path, as_version=4)
    kernel = KernelManager(kernel_name="python3", transport="ipc", ip=str(sockets / "kernel"))
    NotebookClient(notebook, km=kernel, timeout=CELL_TIMEOUT_S,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    return notebook


@pytest.mark.slow
@pytest.mark.parametrize("path", CHAPTERS + SOLUTIONS, ids=lambda p: str(p.relative_to(ROOT)))
def test_notebook_runs_top_to_bottom(path, tmp_path):
    notebook = run(path, tmp_path)
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            assert output.get("output_type") != "error", (cell.source, output.get("evalue"))
            text = "".join(output.get("text", ""))
            assert "Traceback" not in text and "FAIL" not in text, text


def test_each_lab_has_one_cell_that_runs_its_visible_tests():
    for lab in sorted((ROOT / "labs").glob("*/*.ipynb")):
        sources = ["".join(c["source"]) for c in json.loads(lab.read_text())["cells"]]
        runners = [s for s in sources if "run_visible_tests(" in s]
        assert runners == [f'from resilience.checks.visible import run_visible_tests\n\n'
                           f'run_visible_tests("{lab.name}")'], lab.name
