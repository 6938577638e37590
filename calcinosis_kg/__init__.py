"""calcinosis-kg: a source-traced knowledge graph of calcinosis.

>>> from calcinosis_kg import load_graph, reason, validate
>>> result = reason(load_graph())
>>> conforms, report_graph, report_text = validate(result.merged)
>>> report_text.splitlines()[:3]  # warnings only: the graph has no violation
['Validation Report', 'Conforms: False', 'Results (78):']
"""

from .build import build
from .loading import load_graph
from .reasoning import reason
from .sparql import list_queries, run_query
from .validation import validate
from .version import __version__

__all__ = ["__version__", "build", "list_queries", "load_graph", "reason", "run_query", "validate"]
