"""SPARQL over the graph: canned queries with parameters, ad-hoc queries, local or remote engines.

>>> [q["name"] for q in list_queries()][:2]
['causes', 'conflicts']
"""

from .catalog import list_queries, load_query
from .results import QueryResult
from .runner import run_query
from .terms import Term

__all__ = ["QueryResult", "Term", "list_queries", "load_query", "run_query"]
