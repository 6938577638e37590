"""calcinosis-kg: a source-traced knowledge graph of calcinosis.

>>> from calcinosis_kg import load_graph, reason, validate
>>> result = reason(load_graph())
>>> conforms, report_graph, report_text = validate(result.merged)
>>> report_text.splitlines()[:3]  # warnings only: the graph has no violation
['Validation Report', 'Conforms: False', 'Results (78):']
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("calcinosis-kg")
except PackageNotFoundError:  # running from a checkout that is not installed
    __version__ = "0.0.0"

from .build import build
from .loading import load_graph
from .reasoning import reason
from .sparql import list_queries, run_query
from .validation import validate

__all__ = ["__version__", "build", "list_queries", "load_graph", "reason", "run_query", "validate"]
