"""calcinosis-kg: a source-traced knowledge graph of calcinosis.

The functions, the results they return and the errors they raise:

>>> from calcinosis_kg import QueryResult, load_graph, reason, run_query, validate
>>> result = reason(load_graph())
>>> conforms, report_graph, report_text = validate(result.merged)
>>> report_text.splitlines()[:3]  # warnings only: the graph has no violation
['Validation Report', 'Conforms: False', 'Results (81):']
>>> isinstance(run_query("types"), QueryResult)
True
"""

from .build import BuildResult, build
from .errors import (
    CalcinosisKGError,
    InputError,
    InvalidDataError,
    LoadError,
    MappingError,
    QueryError,
    StoreError,
)
from .loading import load_graph
from .reasoning import Reasoning, reason
from .sparql import QueryResult, Term, list_queries, run_query
from .validation import Finding, validate
from .version import __version__

__all__ = [
    "BuildResult",
    "CalcinosisKGError",
    "Finding",
    "InputError",
    "InvalidDataError",
    "LoadError",
    "MappingError",
    "QueryError",
    "QueryResult",
    "Reasoning",
    "StoreError",
    "Term",
    "__version__",
    "build",
    "list_queries",
    "load_graph",
    "reason",
    "run_query",
    "validate",
]
