"""A read-only SPARQL endpoint over the release: ``calcinosis-kg serve``.

``app`` (Starlette routes, content negotiation), ``pool`` (worker processes killed at the time
limit), ``worker`` (pyoxigraph queries and result serialization).

>>> DEFAULTS.host, DEFAULTS.port
('127.0.0.1', 7878)
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

__all__ = ["DEFAULTS", "Defaults", "canned_queries", "serve"]

log = logging.getLogger("calcinosis_kg")


@dataclass(frozen=True)
class Defaults:
    """The endpoint's settings when none are given."""

    host: str = "127.0.0.1"
    port: int = 7878
    workers: int = 4
    spares: int = 4
    request_seconds: float = 10.0
    queue: int = 16
    time_limit: float = 10.0
    max_rows: int = 10_000
    max_memory_mib: int = 1024


DEFAULTS = Defaults()


def canned_queries() -> list[dict]:
    """The headers of the canned queries (``queries/*.rq``), each with its name."""
    try:
        from ..sparql.catalog import list_queries
    except ImportError:  # the query catalog is not installed
        return []
    return list_queries(qc=False)


def serve(
    host: str = DEFAULTS.host,
    port: int = DEFAULTS.port,
    dataset: str | Path | None = None,
    workers: int = DEFAULTS.workers,
    queue: int = DEFAULTS.queue,
    time_limit: float = DEFAULTS.time_limit,
    max_rows: int = DEFAULTS.max_rows,
    max_memory_mib: int = DEFAULTS.max_memory_mib,
    spares: int = DEFAULTS.spares,
    request_seconds: float = DEFAULTS.request_seconds,
) -> None:
    """Serve ``dataset`` (default: the release's ``calcinosis-kg.nq``) until interrupted."""
    import uvicorn

    from ..artifacts import DATASET_FILE, ensure_release
    from .app import create_app
    from .protocol import with_head_deadline

    dataset = Path(dataset) if dataset else ensure_release() / DATASET_FILE
    app = create_app(
        dataset,
        canned_queries(),
        size=workers,
        queue=queue,
        time_limit=time_limit,
        max_rows=max_rows,
        max_memory=max_memory_mib * 2**20,
        spares=spares,
        request_seconds=request_seconds,
    )
    log.info("serving %s at http://%s:%d/sparql", dataset, host, port)
    uvicorn.run(
        app,
        host=host,
        port=port,
        log_level="warning",
        timeout_graceful_shutdown=2,
        timeout_keep_alive=5,  # idle connections are closed
        http=with_head_deadline(request_seconds),  # and so are those that send their request head slowly
        limit_concurrency=64 * (workers + spares + queue),  # beyond, 503 before any work
    )
