"""The one guard for ad-hoc SPARQL, shared by the command line and the endpoint.

A query is read as tokens, in linear time, the way the SPARQL grammar reads it: strings, IRIs
and comments are skipped, keywords are seen. Because engines differ on ``\\u`` escapes (the
SPARQL text applies them before parsing, pyoxigraph only inside strings and IRIs), the query
is read both ways and refused if either reading finds a keyword that writes, loads or reaches
another endpoint. This check words the refusal; what stops a connection for certain is that
queries run in a process cut off from the network (:mod:`calcinosis_kg.sandbox`).

>>> check_query("SELECT * WHERE { ?s ?p ?o }")
'SELECT'
>>> check_query("SELECT * { SERVICE <http://x> { ?s ?p ?o } }")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
calcinosis_kg.sparql.guard.RefusedQuery: refused: SERVICE would reach another endpoint; ...
"""

from __future__ import annotations

import re

from ..errors import QueryError

__all__ = ["MAX_DEPTH", "MAX_QUERY_BYTES", "RefusedQuery", "check_query", "dataset_clauses", "keywords"]

#: the longest query text accepted, in UTF-8 bytes
MAX_QUERY_BYTES = 256 * 1024
#: the deepest nesting of brackets accepted (parsers slow down or overflow their stack beyond)
MAX_DEPTH = 32

_TOKEN = re.compile(
    r'(?P<skip>"""(?:(?:"|"")?(?:[^"\\]|\\.))*"""'  # long strings
    r"|'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''"
    r'|"(?:[^"\\\n\r]|\\.)*"'  # short strings
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|<[^<>"{}|^`\\\x00-\x20]*>'  # IRIs
    r"|#[^\n\r]*"  # comments
    r"|[?$][^\s{}()<>,;.\[\]\"'#]*"  # variables
    r"|_:[^\s{}()<>,;\[\]\"'#]*"  # blank nodes
    r"|:[^\s{}()<>,;\[\]\"'#]*"  # names with the empty prefix
    r"|@[A-Za-z0-9-]+)"  # language tags
    r"|(?P<word>[A-Za-z][\w-]*(?::[^\s{}()<>,;\[\]\"'#]*)?)"  # keywords, functions, prefixed names
    r"|(?P<other>.)",
    re.DOTALL,
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_UPDATES = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_OPENING, _CLOSING = set("({["), set(")}]")


class RefusedQuery(QueryError):
    """A query refused before it runs; ``status`` is the HTTP status an endpoint answers with."""

    def __init__(self, message: str, status: int = 403):
        super().__init__(message)
        self.status = status

    def __reduce__(self):
        return type(self), (str(self), self.status)


def keywords(text: str) -> list[str]:
    """The bare words of ``text`` (keywords and function names), upper-cased, in order.

    >>> keywords('PREFIX ex: <urn:x#> SELECT ("SERVICE" AS ?s) { ex:SERVICE ?p ?o } # SERVICE')
    ['PREFIX', 'SELECT', 'AS']
    """
    return _read(text)[0]


def _read(text: str) -> tuple[list[str], int]:
    """The bare words of ``text``, upper-cased, and the deepest nesting of its brackets."""
    words, depth, deepest = [], 0, 0
    for match in _TOKEN.finditer(text):
        word, other = match.group("word"), match.group("other")
        if word and ":" not in word:
            words.append(word.upper())
        elif other in _OPENING:
            depth += 1
            deepest = max(deepest, depth)
        elif other in _CLOSING:
            depth -= 1
    return words, deepest


def _unescaped(text: str) -> str:
    def char(match: re.Match) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code < 0x110000 and not 0xD800 <= code < 0xE000 else "\ufffd"

    return _ESCAPE.sub(char, text)


def check_query(text: str, dataset: bool = False) -> str:
    """Return the form (SELECT, ASK, CONSTRUCT, DESCRIBE) of a read-only query, else raise.

    Refused with a :class:`~calcinosis_kg.errors.QueryError`: a text over
    :data:`MAX_QUERY_BYTES`, updates, ``SERVICE``, and, unless ``dataset`` (the endpoint, which
    honours them over the release's named graphs), dataset clauses (``FROM``, ``FROM NAMED``).
    Syntax is left to the engine that runs the query.
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_QUERY_BYTES:
        raise RefusedQuery(
            f"refused: the query is {size:,} bytes long; at most {MAX_QUERY_BYTES:,} are read", 413
        )
    readings = [_read(text)]
    if "\\u" in text or "\\U" in text:
        readings.append(_read(_unescaped(text)))
    for words, deepest in readings:
        _refuse(words, dataset)
        if deepest > MAX_DEPTH:
            raise RefusedQuery(f"refused: brackets nested {deepest} deep; at most {MAX_DEPTH} are read", 400)
    forms = [word for word in readings[0][0] if word in _FORMS]
    return forms[0] if forms else "SELECT"


def _refuse(words: list[str], dataset: bool = False) -> None:
    if "SERVICE" in words:
        raise RefusedQuery(
            "refused: SERVICE would reach another endpoint; ad-hoc queries may only read the graph"
        )
    pairs = list(zip(words, [*words[1:], ""], strict=True))
    heads = [w for w in words if w not in {"PREFIX", "BASE"}]
    if heads and heads[0] in _UPDATES:
        operations = sorted({_update_name(word, after) for word, after in pairs if word in _UPDATES})
        raise RefusedQuery(
            f"refused: {' '.join(operations)} would change the graph; ad-hoc queries are read-only"
        )
    kinds = {"FROM NAMED" if after == "NAMED" else "FROM" for word, after in pairs if word == "FROM"}
    if kinds and not dataset:
        raise RefusedQuery(
            f"refused: {' and '.join(sorted(kinds))} would choose other graphs; "
            "the default graph is the union of the release's graphs (use --graph locally)",
            400,
        )


def dataset_clauses(text: str) -> tuple[list[str], list[str]]:
    """The IRIs of the ``FROM`` and of the ``FROM NAMED`` clauses of a query.

    >>> dataset_clauses("SELECT * FROM <urn:a> FROM NAMED <urn:b> { GRAPH ?g { ?s ?p ?o } }")
    (['urn:a'], ['urn:b'])
    """
    found: tuple[list[str], list[str]] = ([], [])
    tokens = [m for m in _TOKEN.finditer(text) if not m.group(0).isspace() and not m.group(0).startswith("#")]
    for index, match in enumerate(tokens):
        if (match.group("word") or "").upper() != "FROM":
            continue
        named = index + 1 < len(tokens) and (tokens[index + 1].group("word") or "").upper() == "NAMED"
        target = tokens[index + 1 + named] if index + 1 + named < len(tokens) else None
        if target is None or not target.group(0).startswith("<"):
            raise RefusedQuery("refused: write the graph of FROM / FROM NAMED as a full <IRI>", 400)
        found[named].append(target.group(0)[1:-1])
    return found


def _update_name(word: str, after: str) -> str:
    if word in {"INSERT", "DELETE"} and after in {"DATA", "WHERE"}:
        return f"{word} {after}"
    return word
