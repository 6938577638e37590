"""A read-only SPARQL endpoint over the release: ``calcinosis-kg serve``.

``app`` (Starlette routes, content negotiation), ``pool`` (worker processes killed at the time
limit), ``worker`` (pyoxigraph queries and result serialization).

>>> DEFAULTS["host"], DEFAULTS["port"]
('127.0.0.1', 7878)
"""

from __future__ import annotations

import logging
from pathlib import Path

__all__ = ["DEFAULTS", "canned_queries", "serve"]

log = logging.getLogger("calcinosis_kg")

DEFAULTS = {
    "host": "127.0.0.1",
    "port": 7878,
    "workers": 4,
    "queue": 16,
    "time_limit": 10.0,
    "max_rows": 10_000,
    "max_memory_mib": 1024,
}


def canned_queries() -> list[dict]:
    """The headers of the canned queries (``queries/*.rq``), each with its name."""
    try:
        from ..sparql.catalog import list_queries
    except ImportError:  # the query catalog is not installed
        return []
    return list_queries(qc=False)


def serve(
    host: str = DEFAULTS["host"],
    port: int = DEFAULTS["port"],
    dataset: str | Path | None = None,
    workers: int = DEFAULTS["workers"],
    queue: int = DEFAULTS["queue"],
    time_limit: float = DEFAULTS["time_limit"],
    max_rows: int = DEFAULTS["max_rows"],
    max_memory_mib: int = DEFAULTS["max_memory_mib"],
) -> None:
    """Serve ``dataset`` (default: the release's ``calcinosis-kg.nq``) until interrupted."""
    import uvicorn

    from ..artifacts import DATASET_FILE, ensure_release
    from .app import create_app

    dataset = Path(dataset) if dataset else ensure_release() / DATASET_FILE
    app = create_app(
        dataset,
        canned_queries(),
        size=workers,
        queue=queue,
        time_limit=time_limit,
        max_rows=max_rows,
        max_memory=max_memory_mib * 2**20,
    )
    log.info("serving %s at http://%s:%d/sparql", dataset, host, port)
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=2)
