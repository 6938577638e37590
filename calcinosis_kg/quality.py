"""The quality checks of ``queries/qc/``: each returns the rows that are wrong; any row fails.

>>> from calcinosis_kg.build import build_dataset
>>> quality_failures(build_dataset()[0])
{}
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from .sparql.catalog import load_query, query_names

__all__ = ["quality_failures"]


def quality_failures(dataset: bytes | Iterable[ox.Quad]) -> dict[str, int]:
    """Run every quality check on a dataset (N-Quads or quads); return the failing checks and row counts.

    The dataset holds what the release holds: the asserted parts, the shapes and the inferred triples.
    """
    store = ox.Store()
    if isinstance(dataset, bytes):
        store.load(dataset, format=ox.RdfFormat.N_QUADS)
    else:
        store.extend(dataset)
    failures = {}
    for name in query_names():
        if name.startswith("qc/"):
            rows = list(store.query(load_query(name).text, use_default_graph_as_union=True))
            if rows:
                failures[name] = len(rows)
    return failures
