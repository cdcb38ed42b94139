"""Issue 20, finding 12: the package installs. `pip wheel .` from a clean copy of the sources, then the
wheel installed (not editable) into a fresh venv answers the shipped reports with `rag ask`.

Only the project's own files come from the wheel: the fresh venv sees the test venv's site-packages for
the (heavy) dependencies through a .pth line, which does not run that venv's editable-install hook, and
the wheel is installed with --no-deps; every project path is then checked to lie inside the fresh venv.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = [pytest.mark.slow, pytest.mark.wheel]
QUESTION = "昌平区2024年共接收行政复议申请多少件？"
SKIP = shutil.ignore_patterns(".venv", ".rag-data", ".git", "build", "dist", "*.egg-info", "__pycache__",
                              ".pytest_cache", "artifacts", "reports")


def _run(cmd, **kw) -> subprocess.CompletedProcess:
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600, **kw)
    assert out.returncode == 0, f"{cmd}\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}"
    return out


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("src") / "rag-fazhi"
    shutil.copytree(ROOT, src, ignore=SKIP)
    (src / "evals" / "reports").mkdir(exist_ok=True)
    out = tmp_path_factory.mktemp("wheelhouse")
    # No build isolation: the test venv's setuptools builds it, nothing is downloaded.
    _run([sys.executable, "-m", "pip", "wheel", str(src), "--no-deps", "--no-build-isolation",
          "--disable-pip-version-check", "-q", "-w", str(out)])
    (whl,) = out.glob("rag_fazhi-*.whl")
    return whl


def test_wheel_holds_every_package_and_data_file(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    packages = sorted(str(p.parent.relative_to(ROOT)) for top in ("rag", "ui", "evals")
                      for p in (ROOT / top).rglob("__init__.py"))
    assert {"rag/question", "rag/answer", "rag/statements", "rag/ingest"} <= set(packages)
    for package in packages:
        assert f"{package}/__init__.py" in names, package
    for py in (ROOT / "rag").rglob("*.py"):
        assert str(py.relative_to(ROOT)) in names, py
    assert "rag/question/glossary.tsv" in names and "evals/questions.jsonl" in names
    for f in (ROOT / "prompts").glob("*.md"):
        assert f"rag/shipped/prompts/{f.name}" in names
    for f in (ROOT / "seeds").iterdir():
        assert f"rag/shipped/seeds/{f.name}" in names


def test_installed_wheel_answers_from_the_package(wheel, tmp_path):
    venv = tmp_path / "fresh"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    py = venv / "bin" / "python"
    fresh_site = Path(_run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    # Dependencies from the test venv (already installed), appended after the fresh venv's own site-packages.
    (fresh_site / "zz_test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    uv = shutil.which("uv") or (str(Path(sys.executable).with_name("uv")) if Path(sys.executable).with_name("uv").exists() else None)
    if uv:
        _run([uv, "pip", "install", "--offline", "--no-deps", "--python", str(py), str(wheel)])
    else:
        _run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "--no-index", "-q", str(wheel)])

    work = tmp_path / "elsewhere"  # not the repository: nothing of it on the path
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAG_", "OPENAI_", "PYTHON"))}
    env.update(HF_HUB_OFFLINE="1", GRADIO_ANALYTICS_ENABLED="False", ANONYMIZED_TELEMETRY="False")
    probe = _run([str(py), "-c", (
        "import json, rag, ui, evals, rag.question.normalise as n, rag.prompts as p, rag.answer, rag.statements, rag.ingest;"
        "from rag.settings import Settings; from rag.resources import CHECKOUT; s = Settings.from_env();"
        "p.render('system');"
        "print(json.dumps({'rag': rag.__file__, 'ui': ui.__file__, 'evals': evals.__file__, 'glossary': n.__file__,"
        "'prompts': str(p.PROMPTS_DIR), 'seeds': str(s.seeds_dir), 'data': str(s.data_dir), 'checkout': str(CHECKOUT)}))")],
        cwd=work, env=env)
    where = json.loads(probe.stdout.strip().splitlines()[-1])
    assert where.pop("checkout") == "None"
    assert where.pop("data") == str(work / ".rag-data")  # ./.rag-data, never inside site-packages
    for name, path in where.items():
        assert path.startswith(str(fresh_site)), (name, path)

    out = _run([str(venv / "bin" / "rag"), "ask", QUESTION], cwd=work, env=env)
    assert out.stdout.startswith("1723件"), out.stdout[:500]
    assert "依据[1]" in out.stdout and "昌平区" in out.stdout
