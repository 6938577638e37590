"""The quality checks of ``queries/qc/``: each returns the rows that are wrong; any row fails.

They check what a shape of one node cannot see: each direct edge backed by a claim and each
claim by its edge, labels unique across entities, every entity in some claim.

>>> from calcinosis_kg.build import build_dataset
>>> quality_failures(build_dataset()[0])
{}
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from typing import cast

import pyoxigraph as ox

from .sparql.catalog import load_query, query_names

__all__ = ["quality_failures", "quality_rows"]


def quality_rows(dataset: bytes | ox.Store) -> dict[str, list[tuple[str, ...]]]:
    """Run every quality check on a dataset (N-Quads, or a store, its graphs taken together);
    return the rows of each failing check, each row as the values of its columns."""
    if isinstance(dataset, ox.Store):
        store = dataset
    else:
        store = ox.Store()
        store.load(dataset, format=ox.RdfFormat.N_QUADS)
    names = [name for name in query_names() if name.startswith("qc/")]
    with ThreadPoolExecutor(os.cpu_count()) as pool:  # Oxigraph runs queries side by side
        found = dict(zip(names, pool.map(lambda name: _rows(store, name), names), strict=True))
    return {name: rows for name, rows in found.items() if rows}


def _rows(store: ox.Store, name: str) -> list[tuple[str, ...]]:
    solutions = cast(ox.QuerySolutions, store.query(load_query(name).text, use_default_graph_as_union=True))
    return [tuple("" if term is None else term.value for term in row) for row in solutions]


def quality_failures(dataset: bytes | ox.Store) -> dict[str, int]:
    """The failing quality checks of a dataset and how many rows each returns."""
    return {name: len(rows) for name, rows in quality_rows(dataset).items()}
