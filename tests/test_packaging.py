"""The wheel carries the data folders and works from a fresh, non-editable install."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

from calcinosis_kg.resources import kb_files, queries_dir, resource_dir

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(REPO)],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("calcinosis_kg-*.whl")
    return found


def test_wheel_contains_data_and_no_tests(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    assert "calcinosis_kg/ontology/calcinosis.ttl" in names
    assert "calcinosis_kg/ontology/shapes.ttl" in names
    assert "calcinosis_kg/py.typed" in names
    for page_file in ("static/page.js", "static/page.css", "static/icon.svg", "queries/claims.rq"):
        assert f"calcinosis_kg/endpoint/{page_file}" in names
    assert sorted(path.name for path in kb_files()) == [
        "claims.tsv",
        "conflict-sides.tsv",
        "conflicts.tsv",
        "corroboration.tsv",
        "entities.tsv",
        "mappings.sssom.tsv",
        "sources.tsv",
    ]
    for path in kb_files():
        assert f"calcinosis_kg/kb/{path.relative_to(resource_dir('kb')).as_posix()}" in names
    for path in queries_dir().rglob("*.rq"):
        assert f"calcinosis_kg/queries/{path.relative_to(queries_dir()).as_posix()}" in names
    assert not [n for n in names if n.startswith("tests/") or "/tests/" in n]


def test_installed_wheel_runs_stats(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False, system_site_packages=False)
    python = env_dir / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # the dependencies come from this environment; the package itself only from the wheel
    deps = [p for p in sys.path if p.endswith("site-packages")]
    Path(site, "deps.pth").write_text("\n".join(deps) + "\n")
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps", str(wheel)],
        check=True,
        capture_output=True,
    )
    env = {**os.environ, "CALCINOSIS_KG_HOME": str(tmp_path / "home")}
    env.pop("PYTHONPATH", None)
    done = subprocess.run(
        [str(env_dir / "bin" / "calcinosis-kg"), "stats"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    assert "ckg:treatedBy" in done.stdout
    where = subprocess.run(
        [str(python), "-c", "import calcinosis_kg.resources as r; print(r.resource_dir('kb'))"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
    ).stdout
    assert where.startswith(site), "the installed package must read its own copy of kb/"
