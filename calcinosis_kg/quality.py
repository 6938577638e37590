"""The quality checks of ``queries/qc/``: each returns the rows that are wrong; any row fails.

>>> from calcinosis_kg.build import build_dataset
>>> quality_failures(build_dataset()[0])
{}
"""

from __future__ import annotations

from .sparql.catalog import load_query, query_names

__all__ = ["quality_failures"]


def quality_failures(nquads: bytes) -> dict[str, int]:
    """Run every quality check on a dataset (N-Quads); return the failing checks and their row counts."""
    import pyoxigraph as ox

    store = ox.Store()
    store.load(nquads, format=ox.RdfFormat.N_QUADS)
    failures = {}
    for name in query_names():
        if name.startswith("qc/"):
            rows = list(store.query(load_query(name).text, use_default_graph_as_union=True))
            if rows:
                failures[name] = len(rows)
    return failures
