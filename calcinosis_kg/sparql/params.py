"""Check the parameters given to a query and turn them into RDF terms to bind.

A parameter declared ``multiple: true`` takes several values, comma-separated or as a list;
the query then runs once per value and the answers are combined (see :mod:`.runner`).

>>> from calcinosis_kg.sparql.catalog import QuerySpec
>>> spec = QuerySpec("demo", None, "", {"params": [{"name": "n", "kind": "number"}]})
>>> bind_params(spec, {"n": "3"}, resolve=None)
[{'n': Term(kind='literal', value='3', datatype='http://www.w3.org/2001/XMLSchema#integer', lang=None)}]
>>> bind_params(spec, {"m": "3"}, resolve=None)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
calcinosis_kg.errors.QueryError: unknown parameter 'm' for query 'demo'; valid parameters: ...
"""

from __future__ import annotations

from collections.abc import Callable

from ..errors import QueryError
from .catalog import KINDS, Param, QuerySpec
from .terms import Term

__all__ = ["bind_params", "describe_params", "split_values"]


def describe_params(spec: QuerySpec) -> str:
    """``name (kind, required|optional)`` for each parameter, or ``none``."""
    parts = [
        f"{p.name} ({p.kind}{', several' if p.multiple else ''}, {'required' if p.required else 'optional'})"
        for p in spec.params
    ]
    return ", ".join(parts) or "none"


def split_values(value) -> list[str]:
    """Several values: a list, or one string split on commas.

    >>> split_values("raised serum calcium, tissue damage")
    ['raised serum calcium', 'tissue damage']
    """
    items = value if isinstance(value, (list, tuple)) else str(value).split(",")
    return [str(v).strip() for v in items if str(v).strip()]


def bind_params(
    spec: QuerySpec, given: dict, resolve: Callable[[str, str], Term] | None
) -> list[dict[str, Term]]:
    """The bindings to run ``spec`` with: one dict, or one per value of a ``multiple`` parameter."""
    declared = {p.name: p for p in spec.params}
    for name in given:
        if name not in declared:
            raise QueryError(
                f"unknown parameter {name!r} for query {spec.name!r}; "
                f"valid parameters: {describe_params(spec)}"
            )
    base: dict[str, Term] = {}
    several: tuple[str, list[Term]] | None = None
    for p in declared.values():
        value = given.get(p.name, p.default)
        if value is None or value == "" or value == []:
            if p.required:
                raise QueryError(
                    f"query {spec.name!r} needs the parameter {p.name!r}; "
                    f"valid parameters: {describe_params(spec)}; e.g. --param {p.name}={p.example}"
                )
            continue
        if p.multiple:
            terms = [_term(p, v, resolve) for v in split_values(value)]
            if several is not None:
                raise QueryError(f"query {spec.name!r}: only one parameter may take several values")
            several = (p.name, list(dict.fromkeys(terms)))
        else:
            base[p.name] = _term(p, value, resolve)
    if several is None:
        return [base]
    return [{**base, several[0]: term} for term in several[1]]


def _term(p: Param, value, resolve) -> Term:
    if p.kind not in KINDS:
        raise QueryError(f"parameter {p.name!r} has an unknown kind {p.kind!r}")
    if p.kind == "number":
        text = str(value).strip()
        number: int | float
        try:
            number = int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                raise QueryError(f"{p.name}: {value!r} is not a number") from None
        return Term.literal(number)
    if p.kind == "text":
        return Term.literal(str(value))
    if resolve is None:
        raise QueryError(f"{p.name}: cannot resolve entities here")
    return resolve(str(value), p.name)
