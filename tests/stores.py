"""Real triplestores for the suite, each on a free 127.0.0.1 port: Apache Jena (TDB2 bulk load,
union default graph, and its SHACL engine) and Virtuoso 7, from their Debian packages
(``.ci/run`` installs them). Fuseki is not packaged in Debian, so a small Java program
(``stores/JenaEndpoint.java``, run by the JDK's source launcher) answers SPARQL over HTTP from
the TDB2 dataset with Jena's own engine.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import zipfile
from pathlib import Path

from conftest import Server, free_port

HERE = Path(__file__).resolve().parent / "stores"
JAVA_DIR = Path("/usr/share/java")
#: the jars of Debian's libapache-jena-java and of its dependencies that the tools load
JENA_JARS = [
    "jena-arq",
    "jena-base",
    "jena-cmds",
    "jena-core",
    "jena-dboe-base",
    "jena-dboe-index",
    "jena-dboe-storage",
    "jena-dboe-trans-data",
    "jena-dboe-transaction",
    "jena-iri",
    "jena-rdfconnection",
    "jena-shacl",
    "jena-shex",
    "jena-tdb",
    "jena-tdb2",
    "commons-cli",
    "commons-codec",
    "commons-compress",
    "commons-csv",
    "commons-io",
    "commons-lang3",
    "commons-logging",
    "dexx.collection",
    "gson",
    "guava",
    "httpclient",
    "httpcore",
    "jackson-core",
    "jackson-databind",
    "jackson-annotations",
    "jsonld-java",
    "jakarta.json-api",
    "protobuf",
    "slf4j-api",
    "slf4j-nop",
    "thrift",
    "titanium-json-ld",
]


_JAVA = ("java", "-Xmx512m", "-XX:TieredStopAtLevel=1", "-cp")


def jena_missing() -> str | None:
    """Why the Jena tests cannot run here, or None."""
    if shutil.which("java") is None:
        return "java is not installed (Debian: default-jre-headless)"
    if not (JAVA_DIR / "jena-tdb2.jar").exists():
        return "Apache Jena is not installed (Debian: libapache-jena-java)"
    return None


def virtuoso_missing() -> str | None:
    """Why the Virtuoso tests cannot run here, or None."""
    if shutil.which("virtuoso-t") is None or _isql() is None:
        return "Virtuoso is not installed (Debian: virtuoso-opensource)"
    return None


def _isql() -> str | None:
    return shutil.which("isql-vt") or shutil.which("isql-v")


def jena_classpath(work: Path) -> str:
    """The class path of the Jena tools.

    Debian's ``jena-core.jar`` relocates Jena's copy of Xerces to the package ``xerces`` but
    leaves its message files under ``org/apache/jena/ext/xerces``; without them the XSD
    datatypes fail to initialise. A small jar in ``work`` puts a copy where the classes look.
    """
    jars = [str(JAVA_DIR / f"{name}.jar") for name in JENA_JARS if (JAVA_DIR / f"{name}.jar").exists()]
    core = JAVA_DIR / "jena-core.jar"
    prefix = "org/apache/jena/ext/xerces/"
    with zipfile.ZipFile(core) as source:
        names = set(source.namelist())
        relocated = "xerces/impl/dv/SchemaDVFactory.class" in names
        if relocated and "xerces/impl/msg/XMLMessages.properties" not in names:
            fix = work / "xerces-messages.jar"
            with zipfile.ZipFile(fix, "w") as out:
                for name in sorted(names):
                    if name.startswith(prefix) and name.endswith(".properties"):
                        out.writestr("xerces/" + name[len(prefix) :], source.read(name))
            jars.append(str(fix))
    return os.pathsep.join(jars)


def java(classpath: str, *args: str, timeout: float = 120.0) -> subprocess.CompletedProcess:
    """Run one Jena command-line tool (``tdb2.tdbloader``, ``shacl.shacl``, ...)."""
    done = subprocess.run([*_JAVA, classpath, *args], capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"java {args[0]} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return done


class JenaEndpoint(Server):
    """TDB2 datasets served read-only at ``/NAME/sparql`` with the union default graph."""

    def __init__(self, classpath: str, datasets: dict[str, Path]):
        self.classpath, self.datasets = classpath, datasets
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self) -> JenaEndpoint:
        pairs = [f"{name}={path}" for name, path in self.datasets.items()]
        command = [*_JAVA, self.classpath, str(HERE / "JenaEndpoint.java"), str(self.port), *pairs]
        return self.launch(command, f"{self.url}/{next(iter(self.datasets))}/sparql", 120)


_VIRTUOSO_INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CaseMode = 2
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
DirsAllowed = {dir}

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 4
Charset = UTF-8

[SPARQL]
; the default (10000) cuts answers without an error; the client reads X-SPARQL-MaxRows
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = 120
MaxQueryCostEstimationTime = 400
"""


class VirtuosoServer(Server):
    """``virtuoso-t`` with an ini of its own in ``folder``, bound to 127.0.0.1, a fresh dba password."""

    def __init__(self, folder: Path, max_rows: int = 1_000_000):
        self.folder, self.max_rows = folder, max_rows
        self.http_port, self.sql_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.http_port}"
        self.password = secrets.token_hex(12)

    def start(self) -> VirtuosoServer:
        ini = self.folder / "virtuoso.ini"
        settings = {"dir": self.folder, "sql_port": self.sql_port, "http_port": self.http_port}
        ini.write_text(_VIRTUOSO_INI.format(max_rows=self.max_rows, **settings), encoding="utf-8")
        return self.launch(
            ["virtuoso-t", "+foreground", "+configfile", str(ini)],
            f"{self.url}/sparql?query=ASK%7B%7D",
            180,
            then=self._set_password,
            cwd=self.folder,
        )

    def _set_password(self) -> None:
        """A new database's dba password is "dba": replace it before anything else talks to it,
        and check that the Graph Store endpoint takes the new one (isql exits 0 on SQL errors)."""
        import httpx

        change = f"EXEC=USER_CHANGE_PASSWORD('dba', 'dba', '{self.password}');"
        subprocess.run(
            [_isql(), f"127.0.0.1:{self.sql_port}", "dba", "dba", change],
            check=True,
            capture_output=True,
            timeout=60,
        )
        probe = httpx.delete(
            f"{self.url}/sparql-graph-crud-auth",
            params={"graph": "urn:calcinosis-kg:probe"},
            auth=httpx.DigestAuth("dba", self.password),
            trust_env=False,
        )
        if probe.status_code not in (200, 204, 404):
            raise RuntimeError(f"Virtuoso did not take the new dba password (HTTP {probe.status_code})")
