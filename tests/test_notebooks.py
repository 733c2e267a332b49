"""The tutorial notebooks are committed clean and run top to bottom on a fresh kernel."""
import json
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
NAMES = ["01_quickstart.ipynb", "02_retrain.ipynb", "03_compare_reports.ipynb", "04_audit.ipynb"]


def _load(name):
    return json.loads((NOTEBOOKS / name).read_text("utf-8"))


@pytest.mark.parametrize("name", NAMES)
def test_committed_without_outputs(name):
    nb = _load(name)
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code, f"{name} has no code cells"
    for cell in code:
        assert cell.get("outputs") == [], f"{name}: a code cell has outputs"
        assert cell.get("execution_count") is None, f"{name}: a code cell has an execution count"


@pytest.mark.parametrize("name", NAMES)
def test_explains_each_step(name):
    nb = _load(name)
    kinds = [c["cell_type"] for c in nb["cells"]]
    assert kinds[0] == "markdown"
    assert kinds.count("markdown") >= kinds.count("code") // 2
    assert nb["metadata"]["kernelspec"]["name"] == "python3"


@pytest.mark.parametrize("name", NAMES)
def test_paths_work_from_the_notebook_directory(name):
    source = "\n".join("".join(c["source"]) for c in _load(name)["cells"]
                       if c["cell_type"] == "code")
    assert "../corpus/" in source
    assert "/work/" not in source and "shared/" not in source


@pytest.mark.parametrize("name", NAMES)
def test_runs_top_to_bottom(name):
    nbformat = pytest.importorskip("nbformat")
    nbclient = pytest.importorskip("nbclient")
    pytest.importorskip("ipykernel")

    nb = nbformat.read(str(NOTEBOOKS / name), as_version=4)
    client = nbclient.NotebookClient(nb, timeout=300, kernel_name="python3",
                                     resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()  # raises CellExecutionError with the failing cell's traceback
    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.output_type == "error"]
    assert not errors
    # every figure cell really drew something
    images = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if "image/png" in o.get("data", {})]
    assert images, f"{name} drew no figure"
