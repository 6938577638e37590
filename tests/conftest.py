"""Shared fixtures: one reasoned graph and one release per session, in a private folder, and a
real Oxigraph server on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from calcinosis_kg import load_graph, reason

#: The base of every case of tests/shapes/ and tests/qc/: a case is this file and its own text.
BASE = Path(__file__).resolve().parent / "base.ttl"
#: every canned query run on a store or the endpoint: run -> where -> (rows, same as locally)
STORE_TABLE: dict[str, dict[str, tuple[int, bool]]] = {}


def pytest_terminal_summary(terminalreporter):
    """The table of canned queries by store: the rows each answered, ``DIFFERS`` where they
    are not the local answer."""
    if not STORE_TABLE:
        return
    places = sorted({where for answers in STORE_TABLE.values() for where in answers})
    width = max(len(run) for run in STORE_TABLE)
    terminalreporter.section("canned queries by store: rows, as locally unless DIFFERS")
    terminalreporter.write_line(f"{'query':<{width}}" + "".join(f" {p:>15}" for p in places))
    for run, answers in sorted(STORE_TABLE.items()):
        cells = [answers.get(p) for p in places]
        shown = ["-" if c is None else f"{c[0]}" if c[1] else f"DIFFERS {c[0]}" for c in cells]
        terminalreporter.write_line(f"{run:<{width}}" + "".join(f" {c:>15}" for c in shown))


@pytest.fixture
def on_base(tmp_path):
    """A function that writes a case file after the base, as one file to load, and returns its path."""

    def write(case: Path) -> Path:
        path = tmp_path / case.name
        path.write_text(
            BASE.read_text(encoding="utf-8") + "\n" + case.read_text(encoding="utf-8"), encoding="utf-8"
        )
        return path

    return write


@pytest.fixture(scope="session", autouse=True)
def _private_release_home(tmp_path_factory):
    """Build artifacts into a temporary folder, never into the user's cache."""
    previous = os.environ.get("CALCINOSIS_KG_HOME")
    os.environ["CALCINOSIS_KG_HOME"] = str(tmp_path_factory.mktemp("release-home"))
    yield
    if previous is None:
        os.environ.pop("CALCINOSIS_KG_HOME", None)
    else:
        os.environ["CALCINOSIS_KG_HOME"] = previous


@pytest.fixture(scope="session")
def asserted():
    """The ontology and the knowledge base, as loaded."""
    return load_graph()


@pytest.fixture(scope="session")
def reasoned(asserted):
    """The reasoned graph (default engine), computed once per session."""
    return reason(asserted)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, seconds: float = 60.0) -> None:
    """Poll ``url`` until it answers; fail if the process exits or time runs out."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}")
        try:
            httpx.get(url, timeout=1.0, trust_env=False)
            return
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


def stop(process: subprocess.Popen) -> None:
    """Terminate a server process, killing it if it does not stop."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Server:
    """A server process on loopback, up once ``ready`` answers, stopped by :meth:`stop`."""

    process: subprocess.Popen | None = None

    def launch(self, command: list[str], ready: str, seconds: float = 60.0, then=None, **popen):
        """Start ``command``; wait for ``ready``, run ``then``; stop the process if either fails."""
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **popen
        )
        try:
            wait_until_up(ready, self.process, seconds)
            if then is not None:
                then()
        except BaseException:
            stop(self.process)
            raise
        return self

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)


class OxigraphServer(Server):
    """``oxigraph serve`` on a free loopback port, persisted in ``location``."""

    def __init__(self, location: Path):
        self.location, self.port = location, free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self) -> OxigraphServer:
        binary = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"
        command = [binary, "serve", "--location", str(self.location), "--bind", f"127.0.0.1:{self.port}"]
        return self.launch([*command, "--union-default-graph"], f"{self.url}/query?query=ASK%7B%7D")


@pytest.fixture(scope="session")
def release() -> Path:
    """The release folder of the current inputs, built once per session."""
    from calcinosis_kg.artifacts import ensure_release

    return ensure_release()


@pytest.fixture
def oxigraph(tmp_path_factory):
    """A fresh Oxigraph server, stopped at the end of the test."""
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph")).start()
    yield server
    server.stop()
