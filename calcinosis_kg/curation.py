"""Compile the curation tables (TSV) into RDF quads: one row, one statement.

The knowledge base is curated as tables in ``kb/`` (documented column by column in
``kb/README.md``). Every row is checked; a bad row is an :class:`InvalidDataError` naming the
file, line and column, and nothing is returned when there is one. A claims row gives the
direct edge, the claim and one evidence passage, so the three cannot disagree.

>>> from calcinosis_kg.loading import parse_quads
>>> from calcinosis_kg.resources import kb_files, ontology_file
>>> compiled = compile_tables(kb_files(), ontology=parse_quads(ontology_file()))
>>> kb, ckg = PREFIXES["kb"], PREFIXES["ckg"]
>>> edge = ox.Quad(ox.NamedNode(kb + "kidney-failure"), ox.NamedNode(ckg + "causes"),
...                ox.NamedNode(ckg + "MetastaticCalcinosis"))
>>> edge in compiled.kb, compiled.data
(True, [])
"""

from __future__ import annotations

import csv
import functools
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import pyoxigraph as ox
import yaml

from .errors import InputError, InvalidDataError
from .namespaces import BASE
from .namespaces import PREFIXES as _NAMESPACES
from .resources import SEEDS_ENV, seeds_dir

__all__ = [
    "COLUMNS",
    "KB_TABLES",
    "SORT_KEYS",
    "Compiled",
    "Row",
    "compile_tables",
    "read_rows",
    "table_kind",
]

log = logging.getLogger("calcinosis_kg")

PREFIXES = {name: str(namespace) for name, namespace in _NAMESPACES.items()}
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
CONFLICT = BASE + "conflict/"
XSD_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
#: The assessment statuses from the highest rank to the lowest (see :meth:`_Compiler._assess`).
STATUSES = ("Corroborated", "SeveralSources", "SingleSource", "Hedged", "Disputed", "Doubtful")
#: What every claim read from a source's text is, in the Biolink enumerations.
KNOWLEDGE_LEVEL = "https://w3id.org/biolink/vocab/KnowledgeLevelEnum#knowledge_assertion"
AGENT_TYPE = "https://w3id.org/biolink/vocab/AgentTypeEnum#manual_agent"
#: ECO classes of the evidence codes of HPO annotations (ECO release 2024-07-19).
HPO_EVIDENCE = {"TAS": "ECO:0000304", "PCS": "ECO:0006017", "IEA": "ECO:0000501"}
#: The resources a corroboration may cite, and the prefix of their identifiers in the tables.
RESOURCES = {"hpoa": ("ORPHA", "OMIM"), "DOID": ("DOID",), "HP": ("HP",), "MONDO": ("MONDO",)}
#: Prefixes written as the HPO annotations write them, and the prefix of the graph they stand for.
REFERENCE_ALIASES = {"ORPHA": "ORDO"}
#: The evidence-code namespace (ECO is an evidence vocabulary, not a mapping target of the shapes).
EVIDENCE_PREFIXES = {"ECO": "http://purl.obolibrary.org/obo/ECO_"}
TREATMENT_RELATION = "treatedBy"
XSD_INTEGER = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
#: The judgements of a conflict side (``conflict-sides.tsv``), and the individuals they stand for.
JUDGEMENTS = {
    "supported": "SupportedSide",
    "unsupported": "UnsupportedSide",
    "compatible": "CompatibleSide",
    "undecided": "UndecidedSide",
}
#: How each judgement reads in the doubt summary of a claim (the reason follows an unsupported one).
JUDGEMENT_TEXT = {
    "SupportedSide": "supported side",
    "UnsupportedSide": "unsupported side",
    "CompatibleSide": "sides compatible",
    "UndecidedSide": "undecided",
}
MAPPING_PREDICATES = tuple(f"skos:{kind}Match" for kind in ("exact", "close", "broad", "narrow", "related"))


@dataclass(frozen=True)
class Column:
    """A table column: ``required`` needs a value in every row, ``many`` holds ``|``-separated values."""

    name: str
    required: bool = False
    many: bool = False


def _columns(spec: str) -> tuple[Column, ...]:
    """Columns from a spec such as ``"id! synonyms*"`` (``!`` required, ``*`` several values)."""
    return tuple(Column(word.rstrip("!*"), "!" in word, "*" in word) for word in spec.split())


#: The columns of each kind of table. An optional column may be left out of the header.
COLUMNS = {
    "sources": _columns("id! title! publisher label! definition! reliability evidence_code"),
    "entities": _columns("id! category!* label definition synonyms* parents* source*"),
    "claims": _columns(
        "subject! relation! object! source! passage section paragraph list_item excerpt! hedging context*"
        " effect*"
    ),
    "conflicts": _columns("id! kind! label! concerns!* comment! reference*"),
    "sides": _columns("conflict! claim! judgement! reason! reference*"),
    "corroboration": _columns(
        "claim! agreement! reference! reference_label! resource! phenotype phenotype_label frequency"
        " evidence_code publication comment!"
    ),
    "mappings": _columns(
        "subject_id! subject_label predicate_id! object_id! object_label mapping_justification! comment"
    ),
}
#: The tables of ``kb/``, by file name.
KB_TABLES = {
    "sources.tsv": "sources",
    "entities.tsv": "entities",
    "claims.tsv": "claims",
    "conflicts.tsv": "conflicts",
    "conflict-sides.tsv": "sides",
    "mappings.sssom.tsv": "mappings",
    "corroboration.tsv": "corroboration",
}
#: The columns each kb table is sorted by (an empty passage counts as 1).
SORT_KEYS = {
    "sources": ("id",),
    "entities": ("id",),
    "claims": ("relation", "subject", "object", "source", "passage"),
    "conflicts": ("id",),
    "sides": ("conflict", "claim"),
    "mappings": ("subject_id", "predicate_id", "object_id"),
    "corroboration": ("claim", "reference", "phenotype"),
}
#: The tables a curator may contribute with ``--data``, recognised by their header.
CONTRIBUTED = ("claims", "entities")
SSSOM_METADATA = ("curie_map", "mapping_set_id", "license")

_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_CURIE = re.compile(r"([A-Za-z][A-Za-z0-9_.]*):([^\s:|]\S*)")
_CLASS_NAME = re.compile(r"ckg:[A-Za-z][A-Za-z0-9]*")
_SOURCE_ID = re.compile(r"\d{3}_[0-9A-Za-z]+")
_FRACTION = re.compile(r"\d+/[1-9]\d*|\d+(?:\.\d+)?%")  # an HPO annotation's frequency as counted


class Compiled(NamedTuple):
    """The quads (default graph) of the kb tables and of the contributed tables."""

    kb: list[ox.Quad]
    data: list[ox.Quad]


@dataclass
class Row:
    """One row of a table, and where it comes from."""

    path: Path
    line: int
    cells: dict[str, str]
    positions: dict[str, int]
    origin: str = "kb"

    def where(self, column: str) -> str:
        """``file:line:column (name)`` of one cell.

        >>> Row(Path("t.tsv"), 3, {"id": "x"}, {"id": 1}).where("id")
        't.tsv:3:1 (id)'
        """
        return f"{self.path}:{self.line}:{self.positions.get(column, 1)} ({column})"

    def get(self, column: str) -> str:
        """The cell of ``column`` ('' when the table has no such column)."""
        return self.cells.get(column, "")

    def values(self, column: str) -> list[str]:
        """The ``|``-separated values of a cell, stripped.

        >>> Row(Path("t.tsv"), 2, {"synonyms": "a | b"}, {}).values("synonyms")
        ['a', 'b']
        """
        return [value.strip() for value in self.get(column).split("|") if value.strip()]


class _Problems(list):
    """The errors found so far, one line each."""

    def add(self, row: Row, column: str, message: str) -> None:
        self.append(f"{row.where(column)}: {message}")

    def raise_any(self) -> None:
        if self:
            shown = self[:50] + ([f"... and {len(self) - 50} more"] if len(self) > 50 else [])
            raise InvalidDataError(f"{len(self)} error(s) in the curation tables:\n" + "\n".join(shown))


def table_kind(path: Path) -> str:
    """The kind of a contributed table, from its header: ``claims`` or ``entities``.

    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "mine.tsv"
    >>> _ = path.write_text("id\\tcategory\\tlabel\\n", encoding="utf-8")
    >>> table_kind(path)
    'entities'
    """
    with open(path, encoding="utf-8", newline="") as handle:
        header = set(handle.readline().rstrip("\r\n").split("\t"))
    for kind in CONTRIBUTED:
        if {column.name for column in COLUMNS[kind] if column.required} <= header:
            return kind
    expected = "; ".join(
        f"{kind}: {' '.join(c.name for c in COLUMNS[kind] if c.required)}" for kind in CONTRIBUTED
    )
    raise InvalidDataError(
        f"{path}:1:1: not a curation table; the header must name the columns of {expected}"
    )


def read_rows(path: Path, kind: str, problems: _Problems | None = None, origin: str = "kb") -> list[Row]:
    """The rows of one table; header and cell errors go to ``problems`` (raised at once if None).

    ``#`` lines before the header are the SSSOM metadata block (mappings).
    """
    found = _Problems() if problems is None else problems
    columns = {column.name: column for column in COLUMNS[kind]}
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise InvalidDataError(f"{path}: not UTF-8 text: {exc}") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc}") from exc
    start = next((number for number, line in enumerate(lines) if not line.startswith("#")), len(lines))
    reader = csv.reader(lines[start:], delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader, [])
    positions = {name: number for number, name in reversed(list(enumerate(header, 1)))}
    title = Row(path, start + 1, {}, positions)
    for number, name in enumerate(header, 1):
        if name not in columns:
            found.append(
                f"{path}:{start + 1}:{number}: unknown column {name!r} (known: {', '.join(columns)})"
            )
        elif positions[name] != number:
            found.append(f"{path}:{start + 1}:{number}: column {name!r} appears twice")
    for name in columns:
        if columns[name].required and name not in positions:
            found.add(title, name, f"the header lacks the required column {name!r}")
    rows = []
    for line, cells in enumerate(reader, start + 2):
        if len(cells) != len(header):
            found.append(f"{path}:{line}:1: expected {len(header)} cells (tab-separated), found {len(cells)}")
            continue
        row = Row(path, line, dict(zip(header, cells, strict=True)), positions, origin)
        for name in columns.keys() & positions.keys():
            if columns[name].required and not row.get(name).strip():
                found.add(row, name, "a value is required")
        rows.append(row)
    if problems is None:
        found.raise_any()
    return rows


def sort_key(kind: str) -> Callable[[Row], tuple]:
    """The key a kb table is sorted by (see :data:`SORT_KEYS`).

    >>> sort_key("claims")(Row(Path("t.tsv"), 2, {"relation": "ckg:causes", "passage": "2"}, {}))
    ('ckg:causes', '', '', '', 2)
    """
    return lambda row: tuple(int(row.get(c) or 1) if c == "passage" else row.get(c) for c in SORT_KEYS[kind])


def compile_tables(
    kb: Sequence[Path], extra: Sequence[Path] = (), *, ontology: Iterable[ox.Quad], seeds: Path | None = None
) -> Compiled:
    """Check and compile the kb tables (``kb``) and a curator's tables (``extra``) into quads.

    ``ontology`` gives the known categories and relations. Excerpts must be verbatim in the
    source documents of ``seeds`` (default :func:`calcinosis_kg.resources.seeds_dir`); without
    that folder only that check is skipped, with a warning when there are curator's tables.
    """
    problems = _Problems()
    tables: dict[str, list[Row]] = {kind: [] for kind in COLUMNS}
    for path in kb:
        if path.name in KB_TABLES:
            tables[KB_TABLES[path.name]] += read_rows(path, KB_TABLES[path.name], problems)
        else:
            problems.append(f"{path}:1:1: unknown kb table (expected {', '.join(KB_TABLES)})")
    for path in extra:
        tables[table_kind(path)] += read_rows(path, table_kind(path), problems, origin="data")
    compiler = _Compiler(_Vocabulary(ontology), problems, seeds or seeds_dir())
    if compiler.seeds is None and extra:
        _say_no_seeds()  # the shipped tables were checked when released; a curator's are not
    compiler.run(tables)
    problems.raise_any()
    return Compiled(*(list(dict.fromkeys(compiler.out[origin])) for origin in ("kb", "data")))


class _Vocabulary:
    """What the ontology declares: ckg: classes and relations, labels, subclass pairs."""

    def __init__(self, quads: Iterable[ox.Quad]):
        ckg = PREFIXES["ckg"]
        self.classes: set[str] = set()
        self.relations = {RDFS + "subClassOf"}
        self.labels: dict[str, str] = {}
        self.parents: set[tuple[str, str]] = set()
        self.effects: set[str] = set()
        for quad in quads:
            if isinstance(quad.subject, ox.Triple) or isinstance(quad.object, ox.Triple):
                continue
            s, p, o = quad.subject.value, quad.predicate.value, quad.object.value
            if p == RDF + "type" and o in (OWL + "Class", OWL + "ObjectProperty") and s.startswith(ckg):
                (self.classes if o == OWL + "Class" else self.relations).add(s)
            elif p == RDF + "type" and o == ckg + "TreatmentEffect":
                self.effects.add(s)
            elif p == RDFS + "label":
                self.labels[s] = o
            elif p == RDFS + "subClassOf":
                self.parents.add((s, o))
        self.issue_kinds = {s for s, o in self.parents if o == ckg + "QualityIssue"}


@functools.cache
def _known_prefixes() -> dict[str, str]:
    """The prefixes the tables may use: the project's, the mapping namespaces of the shapes, skos, semapv."""
    from .namespaces import mapping_prefixes

    return {**mapping_prefixes(), **PREFIXES, "semapv": "https://w3id.org/semapv/vocab/"}


@functools.cache
def _seed_text(folder: Path, name: str) -> str | None:
    path = folder / name
    return _normalise(path.read_text(encoding="utf-8")) if path.is_file() else None


@functools.cache
def _say_no_seeds() -> None:
    log.warning("source documents not found (set %s): excerpts are not checked against them", SEEDS_ENV)


def _normalise(text: str) -> str:
    """Whitespace runs as one space.

    >>> _normalise(" a\\n  b ")
    'a b'
    """
    return " ".join(text.split())


def _local(iri: str) -> str:
    """The local name of an IRI, after its last ``/`` or ``#``.

    >>> _local("http://www.w3.org/2000/01/rdf-schema#subClassOf")
    'subClassOf'
    """
    return re.split(r"[/#]", iri)[-1]


class _Passage(NamedTuple):
    """An evidence passage of a claim: its node, its source id and whether the source hedges it."""

    node: ox.NamedNode
    source: str
    hedged: bool


class _Claim(NamedTuple):
    """A claim and its evidence passages."""

    subject: ox.NamedNode
    relation: ox.NamedNode
    object: ox.NamedNode
    passages: list[_Passage]


class _Compiler:
    """Checks the rows of every table and writes their quads into ``out[origin]``."""

    def __init__(self, vocabulary: _Vocabulary, problems: _Problems, seeds: Path | None):
        self.vocabulary, self.problems, self.seeds = vocabulary, problems, seeds
        self.prefixes = _known_prefixes()
        self.out: dict[str, list[ox.Quad]] = {"kb": [], "data": []}
        self.claims: dict[tuple[str, str], _Claim] = {}  # by claim name and origin
        self.evidence: dict[str, Row] = {}
        self.issues: dict[str, set[str]] = {}  # claim name -> local names of the issue kinds
        self.agreement: dict[str, set[bool]] = {}  # claim name -> what the references say
        self.conflicts: dict[str, set[str]] = {}  # conflict id -> the claim names it concerns
        self.issue_labels: dict[str, str] = {}  # conflict id -> its label
        self.doubt_ids: set[str] = set()  # the ids of the doubtful statements
        self.doubt_labels: dict[str, list[str]] = {}  # claim name -> labels of its doubtful statements
        self.sides: dict[tuple[str, str], str] = {}  # (conflict id, claim name) -> judgement
        self.side_reasons: dict[tuple[str, str], str] = {}
        self.corroboration_labels: dict[str, list[str]] = {}  # claim name -> its corroboration labels
        if seeds is not None and not seeds.is_dir():
            raise InputError(f"{seeds}: the source documents folder does not exist ({SEEDS_ENV})")

    def run(self, tables: dict[str, list[Row]]) -> None:
        self.sources = {row.get("id"): row for row in self._unique(tables["sources"], "source id")}
        self.entities = {row.get("id"): row for row in self._unique(tables["entities"], "entity id")}
        for row in self.sources.values():
            self._source(row)
        for row in self.entities.values():
            self._entity(row)
        for row in tables["claims"]:
            self._claim_row(row)
        for row in self._unique(tables["conflicts"], "conflict id"):
            self._conflict(row)
        for row in self._unique(
            tables["corroboration"], "corroboration", ("claim", "reference", "phenotype")
        ):
            self._corroboration(row)
        for row in self._unique(tables["sides"], "conflict side", ("conflict", "claim")):
            self._side(row)
        self._conflict_sides()
        self._claims()
        self._mappings(tables["mappings"])

    # -- identifiers and cells -------------------------------------------------------------

    def _add(self, origin: str, s: ox.NamedNode, p: str, o: ox.NamedNode | ox.Literal) -> None:
        self.out[origin].append(ox.Quad(s, ox.NamedNode(p), o))

    def _text(
        self, row: Row, node: ox.NamedNode, columns: dict[str, str], language: str | None = "en"
    ) -> None:
        """One literal per non-empty cell of ``columns`` (column -> predicate IRI)."""
        for column, predicate in columns.items():
            if row.get(column):
                self._add(row.origin, node, predicate, ox.Literal(row.get(column), language=language))

    def _unique(self, rows: list[Row], what: str, columns: Sequence[str] = ("id",)) -> list[Row]:
        """The rows whose ``columns`` are new; a repeated value is an error naming the first row."""
        seen: dict[tuple[str, ...], Row] = {}
        for row in rows:
            key = tuple(row.get(column) for column in columns)
            first = seen.setdefault(key, row)
            if first is not row:
                self.problems.add(
                    row,
                    columns[0],
                    f"duplicate {what} {' '.join(key)!r} (first at {first.where(columns[0])})",
                )
        return list(seen.values())

    def _curie(self, row: Row, column: str, value: str, prefixes: dict[str, str] | None = None) -> str | None:
        """The IRI of a CURIE; a malformed one or an unknown prefix is an error."""
        match = _CURIE.fullmatch(value)
        table = self.prefixes if prefixes is None else prefixes
        if match is None:
            self.problems.add(row, column, f"malformed CURIE {value!r} (expected prefix:local)")
        elif match.group(1) not in table:
            self.problems.add(row, column, f"unknown prefix {match.group(1)!r} in {value!r}")
        else:
            return table[match.group(1)] + match.group(2)
        return None

    def _term(self, row: Row, column: str, value: str, known: set[str], what: str) -> ox.NamedNode | None:
        """An ontology term given as a CURIE; it must be one of ``known``."""
        iri = self._curie(row, column, value)
        if iri is not None and iri not in known:
            self.problems.add(row, column, f"unknown {what} {value!r}: not declared in the ontology")
            return None
        return None if iri is None else ox.NamedNode(iri)

    def _entity_iri(self, row: Row, column: str, value: str, listed: bool = True) -> ox.NamedNode | None:
        """The IRI of an entity id: a kb slug or a ckg: class; with ``listed``, it needs an entities row."""
        if _SLUG.fullmatch(value):
            iri = PREFIXES["kb"] + value
        elif _CLASS_NAME.fullmatch(value):
            iri = PREFIXES["ckg"] + value[4:]
            if iri not in self.vocabulary.classes:
                self.problems.add(row, column, f"unknown entity {value!r}: not a class of the ontology")
                return None
        else:
            self.problems.add(
                row, column, f"malformed entity id {value!r} (a lower-case slug or ckg:ClassName)"
            )
            return None
        if listed and value not in self.entities:
            self.problems.add(row, column, f"unknown entity {value!r} (no row in an entities table)")
            return None
        return ox.NamedNode(iri)

    def _source_iri(self, row: Row, column: str, value: str, references: bool = False) -> ox.NamedNode | None:
        """A source id of the sources table or, with ``references``, a CURIE of a reference term."""
        if value in self.sources:
            return ox.NamedNode(PREFIXES["src"] + value)
        if references and ":" in value:
            iri = self._curie(row, column, value)
            return None if iri is None else ox.NamedNode(iri)
        self.problems.add(row, column, f"unknown source {value!r} (not an id of kb/sources.tsv)")
        return None

    def _number(self, row: Row, column: str) -> int | None:
        value = row.get(column).strip()
        if value and (not value.isdigit() or int(value) < 1):
            self.problems.add(row, column, f"expected a whole number from 1, found {value!r}")
            return None
        return int(value) if value else None

    # -- tables ----------------------------------------------------------------------------

    def _source(self, row: Row) -> None:
        name = row.get("id")
        if not _SOURCE_ID.fullmatch(name):
            self.problems.add(
                row, "id", f"malformed source id {name!r} (NNN_name: its file name without .txt)"
            )
            return
        node = ox.NamedNode(PREFIXES["src"] + name)
        self._add(row.origin, node, RDF + "type", ox.NamedNode(PREFIXES["ckg"] + "SourceDocument"))
        self._add(row.origin, node, DCTERMS + "identifier", ox.Literal(name + ".txt"))
        self._text(row, node, {"publisher": DCTERMS + "publisher"}, language=None)
        self._text(
            row,
            node,
            {
                "title": DCTERMS + "title",
                "label": RDFS + "label",
                "definition": SKOS + "definition",
                "reliability": PREFIXES["ckg"] + "reliability",
            },
        )
        if self.seeds is not None and _seed_text(self.seeds, name + ".txt") is None:
            self.problems.add(row, "id", f"no source document {name}.txt in {self.seeds}")

    def _entity(self, row: Row) -> None:
        node = self._entity_iri(row, "id", row.get("id"), listed=False)
        if node is None:
            return
        for value in row.values("category"):
            category = self._term(row, "category", value, self.vocabulary.classes, "category")
            if category is not None:
                self._add(row.origin, node, RDF + "type", category)
        own = ("label", "definition", "source")
        for column in (*own, "synonyms", "parents"):
            if node.value.startswith(PREFIXES["ckg"]) and row.get(column):
                self.problems.add(row, column, "leave empty for a ckg: class: the ontology describes it")
            elif node.value.startswith(PREFIXES["kb"]) and column in own and not row.get(column):
                self.problems.add(row, column, "a value is required for a kb entity")
        self._text(row, node, {"label": RDFS + "label", "definition": SKOS + "definition"})
        for synonym in row.values("synonyms"):
            self._add(row.origin, node, SKOS + "altLabel", ox.Literal(synonym, language="en"))
        for value in row.values("parents"):  # a child and its kb parents are classes (rdfs:subClassOf)
            parent = self._entity_iri(row, "parents", value)
            if parent is not None:
                self._add(row.origin, node, RDFS + "subClassOf", parent)
                for term in (node, parent):
                    if term.value.startswith(PREFIXES["kb"]):
                        self._add(row.origin, term, RDF + "type", ox.NamedNode(OWL + "Class"))
        for value in row.values("source"):
            source = self._source_iri(row, "source", value, references=True)
            if source is not None:
                self._add(row.origin, node, DCTERMS + "source", source)

    def _claim_row(self, row: Row) -> None:
        """Check one claims row and write its evidence passage; the claim itself comes in :meth:`_claims`."""
        ckg = PREFIXES["ckg"]
        subject = self._entity_iri(row, "subject", row.get("subject"))
        relation = self._term(row, "relation", row.get("relation"), self.vocabulary.relations, "relation")
        target = self._entity_iri(row, "object", row.get("object"))
        source = self._source_iri(row, "source", row.get("source"))
        contexts = [self._entity_iri(row, "context", value) for value in row.values("context")]
        effects = self._effects(row, relation)
        passage, list_item = self._number(row, "passage") or 1, self._number(row, "list_item")
        paragraph = self._number(row, "paragraph")
        if bool(row.get("section").strip()) == (paragraph is not None):
            self.problems.add(
                row, "section", "give the source's own heading (section) or, without one, the paragraph"
            )
        self._check_excerpt(row)
        if subject is None or relation is None or target is None or source is None or None in contexts:
            return
        if relation.value == RDFS + "subClassOf" and not self._states_a_parent(row, subject, target):
            return
        name = "--".join(_local(term.value) for term in (subject, relation, target))
        evidence = f"{name}--{row.get('source')[:3]}" + (f"-{passage}" if passage > 1 else "")
        first = self.evidence.setdefault(evidence, row)
        if first is not row:
            where = first.where("passage")
            self.problems.add(
                row, "passage", f"duplicate evidence ev:{evidence} (first at {where}): number the passages"
            )
            return
        node = ox.NamedNode(PREFIXES["ev"] + evidence)
        claim = self.claims.setdefault((name, row.origin), _Claim(subject, relation, target, []))
        claim.passages.append(_Passage(node, row.get("source"), bool(row.get("hedging").strip())))
        self._add(row.origin, node, RDF + "type", ox.NamedNode(ckg + "Evidence"))
        self._add(row.origin, node, ckg + "fromSource", source)
        self._text(row, node, {c: ckg + c for c in ("excerpt", "section", "hedging")}, language=None)
        for column, number in (("listItem", list_item), ("paragraph", paragraph)):
            if number is not None:
                self._add(row.origin, node, ckg + column, ox.Literal(str(number), datatype=XSD_INTEGER))
        for value in contexts:
            if value is not None:
                self._add(row.origin, node, ckg + "context", value)
        for effect in effects:
            self._add(row.origin, node, ckg + "treatmentEffect", effect)
        code = self.sources[row.get("source")].get("evidence_code")
        if code:
            iri = self._curie(self.sources[row.get("source")], "evidence_code", code, EVIDENCE_PREFIXES)
            if iri is not None:
                self._add(row.origin, node, ckg + "evidenceCode", ox.NamedNode(iri))

    def _effects(self, row: Row, relation: ox.NamedNode | None) -> list[ox.NamedNode]:
        """The effects of a passage: only a treatment claim has them (``EffectNotStated`` by default)."""
        ckg = PREFIXES["ckg"]
        treatment = relation is not None and relation.value == ckg + TREATMENT_RELATION
        if row.values("effect") and not treatment:
            self.problems.add(row, "effect", f"only a ckg:{TREATMENT_RELATION} passage has treatment effects")
            return []
        if not treatment:
            return []
        effects = [
            self._term(row, "effect", value, self.vocabulary.effects, "treatment effect")
            for value in row.values("effect") or ["ckg:EffectNotStated"]
        ]
        return [effect for effect in effects if effect is not None]

    def _states_a_parent(self, row: Row, subject: ox.NamedNode, parent: ox.NamedNode) -> bool:
        """A subclass claim names a parent of the entities table (for a ckg: class, of the ontology)."""
        if subject.value.startswith(PREFIXES["kb"]):
            listed = row.get("object") in self.entities[row.get("subject")].values("parents")
        else:
            listed = (subject.value, parent.value) in self.vocabulary.parents
        if not listed:
            named, child = row.get("object"), row.get("subject")
            self.problems.add(
                row, "object", f"{named!r} is not a listed parent of {child!r} (entities row or ontology)"
            )
        return listed

    def _check_excerpt(self, row: Row) -> None:
        excerpt = _normalise(row.get("excerpt"))
        for hedge in (word.strip() for word in row.get("hedging").split(";")):
            if hedge.lower() not in excerpt.lower():
                self.problems.add(row, "hedging", f"hedging {hedge!r} is not in the excerpt")
        if self.seeds is not None and row.get("source") in self.sources:
            text = _seed_text(self.seeds, row.get("source") + ".txt")
            if text is not None and excerpt not in text:
                self.problems.add(
                    row,
                    "excerpt",
                    f"not verbatim in {row.get('source')}.txt (whitespace aside): {excerpt[:60]!r}...",
                )

    def _claims(self) -> None:
        """The direct edge and the claim node of each claim, in each origin that has rows for it."""
        ckg = PREFIXES["ckg"]
        unsupported = {name for (_, name), judged in self.sides.items() if judged == "UnsupportedSide"}
        doubtful = unsupported | {n for n, kinds in self.issues.items() if "DoubtfulStatement" in kinds}
        doubts = {name: list(labels) for name, labels in self.doubt_labels.items()}
        for conflict, members in self.conflicts.items():
            for name in members:
                judged = self.sides.get((conflict, name), "UndecidedSide")
                if judged == "UnsupportedSide":
                    self.issues.setdefault(name, set()).add("UnsupportedSide")
                elif judged == "UndecidedSide" and members - {name} - doubtful:
                    self.issues.setdefault(name, set()).add("Conflict")  # disputed by an undecided conflict
                text = JUDGEMENT_TEXT[judged]
                if judged == "UnsupportedSide":
                    text += ": " + self.side_reasons[(conflict, name)]
                doubts.setdefault(name, []).append(f"{self.issue_labels[conflict]} [{text}]")
        passages: dict[str, list[_Passage]] = {}
        for (name, _), claim in self.claims.items():
            passages.setdefault(name, []).extend(claim.passages)
        for (name, origin), claim in self.claims.items():
            node = ox.NamedNode(PREFIXES["claim"] + name)
            self._add(origin, claim.subject, claim.relation.value, claim.object)
            self._add(origin, node, RDF + "type", ox.NamedNode(ckg + "Claim"))
            for predicate, value in zip(("subject", "predicate", "object"), claim[:3], strict=False):
                self._add(origin, node, RDF + predicate, value)
            for passage in claim.passages:
                self._add(origin, node, ckg + "hasEvidence", passage.node)
            if origin == "data" or (name, "data") not in self.claims:  # one assessment per claim
                sources = {passage.source for passage in passages[name]}
                status = _assess(
                    len(sources),
                    all(passage.hedged for passage in passages[name]),
                    self.issues.get(name, set()),
                    self.agreement.get(name, set()),
                )
                self._add(origin, node, ckg + "status", ox.NamedNode(ckg + status))
                count = ox.Literal(str(len(sources)), datatype=XSD_INTEGER)
                self._add(origin, node, ckg + "sourceCount", count)
                self._add(origin, node, ckg + "knowledgeLevel", ox.NamedNode(KNOWLEDGE_LEVEL))
                self._add(origin, node, ckg + "agentType", ox.NamedNode(AGENT_TYPE))
                for predicate, texts in (
                    ("corroborationSummary", self.corroboration_labels.get(name)),
                    ("doubtSummary", doubts.get(name)),
                ):
                    if texts:
                        self._add(origin, node, ckg + predicate, ox.Literal("; ".join(sorted(texts))))

    def _conflict(self, row: Row) -> None:
        if not _SLUG.fullmatch(row.get("id")):
            self.problems.add(row, "id", f"malformed conflict id {row.get('id')!r} (a lower-case slug)")
            return
        node = ox.NamedNode(CONFLICT + row.get("id"))
        kind = self._term(row, "kind", row.get("kind"), self.vocabulary.issue_kinds, "kind of quality issue")
        if kind is not None:
            self._add(row.origin, node, RDF + "type", kind)
        self._text(row, node, {"label": RDFS + "label", "comment": RDFS + "comment"})
        claims = {name for name, _ in self.claims}
        for value in row.values("reference"):
            iri = self._curie(row, "reference", value)
            if iri is not None:
                self._add(row.origin, node, DCTERMS + "references", ox.NamedNode(iri))
        for name in row.values("concerns"):
            if name in claims:
                self._add(
                    row.origin, node, PREFIXES["ckg"] + "concerns", ox.NamedNode(PREFIXES["claim"] + name)
                )
                if kind is not None and _local(kind.value) == "DoubtfulStatement":
                    self.issues.setdefault(name, set()).add("DoubtfulStatement")
                    self.doubt_labels.setdefault(name, []).append(row.get("label"))
                    self.doubt_ids.add(row.get("id"))
            else:
                self.problems.add(
                    row, "concerns", f"unknown claim {name!r} (SUBJECT--PREDICATE--OBJECT of a claims row)"
                )
        if kind is not None and _local(kind.value) == "Conflict":
            self.conflicts[row.get("id")] = set(row.values("concerns")) & claims
            self.issue_labels[row.get("id")] = row.get("label")

    def _side(self, row: Row) -> None:
        """The curator's judgement of one side (claim) of a conflict against medical knowledge."""
        conflict, name, judgement = row.get("conflict"), row.get("claim"), row.get("judgement")
        if conflict in self.doubt_ids:
            self.problems.add(
                row, "conflict", f"{conflict!r} is a ckg:DoubtfulStatement: only a ckg:Conflict has sides"
            )
            return
        if conflict not in self.conflicts:
            self.problems.add(
                row,
                "conflict",
                f"unknown conflict {conflict!r} (the id of a ckg:Conflict row of conflicts.tsv)",
            )
            return
        if name not in self.conflicts[conflict]:
            self.problems.add(row, "claim", f"conflict {conflict!r} does not concern claim {name!r}")
            return
        if judgement not in JUDGEMENTS:
            self.problems.add(row, "judgement", f"expected {', '.join(JUDGEMENTS)}, found {judgement!r}")
            return
        if judgement == "unsupported" and ";" in row.get("reason"):
            self.problems.add(
                row,
                "reason",
                "the reason of an unsupported side is part of the doubt summary: write it without ';'",
            )
            return
        references = [self._curie(row, "reference", value) for value in row.values("reference")]
        if None in references:
            return
        self.sides[(conflict, name)] = JUDGEMENTS[judgement]
        self.side_reasons[(conflict, name)] = row.get("reason")
        node = ox.NamedNode(CONFLICT + f"{conflict}--{name}")
        self._text(row, node, {"reason": RDFS + "comment"})
        for iri in references:
            self._add(row.origin, node, DCTERMS + "references", ox.NamedNode(str(iri)))

    def _conflict_sides(self) -> None:
        """Every claim of a conflict is one of its sides, judged by a sides row or undecided."""
        ckg = PREFIXES["ckg"]
        for conflict, members in self.conflicts.items():
            for name in sorted(members):
                node = ox.NamedNode(CONFLICT + f"{conflict}--{name}")
                judged = self.sides.get((conflict, name), "UndecidedSide")
                self._add("kb", ox.NamedNode(CONFLICT + conflict), ckg + "hasSide", node)
                self._add("kb", node, RDF + "type", ox.NamedNode(ckg + "ConflictSide"))
                self._add("kb", node, ckg + "sideClaim", ox.NamedNode(PREFIXES["claim"] + name))
                self._add("kb", node, ckg + "judgement", ox.NamedNode(ckg + judged))
                label = f"{self.issue_labels[conflict]}: side {name}"
                self._add("kb", node, RDFS + "label", ox.Literal(label, language="en"))

    def _corroboration(self, row: Row) -> None:
        """A curated reference that agrees or disagrees with a claim: evidence apart from the web excerpts."""
        ckg, name = PREFIXES["ckg"], row.get("claim")
        if name not in {claim for claim, _ in self.claims}:
            self.problems.add(
                row, "claim", f"unknown claim {name!r} (SUBJECT--PREDICATE--OBJECT of a claims row)"
            )
            return
        agreement = row.get("agreement")
        if agreement not in ("agrees", "disagrees"):
            self.problems.add(row, "agreement", f"expected agrees or disagrees, found {agreement!r}")
            return
        resource, reference = row.get("resource"), row.get("reference")
        if resource not in RESOURCES:
            self.problems.add(
                row, "resource", f"unknown resource {resource!r} (one of {', '.join(RESOURCES)})"
            )
            return
        prefix = reference.split(":", 1)[0]
        if prefix not in RESOURCES.get(resource, ()):
            known = "; ".join(f"{r}: {', '.join(p)}" for r, p in RESOURCES.items())
            self.problems.add(
                row, "reference", f"{reference!r} is not an identifier of {resource!r} ({known})"
            )
            return
        target = self._curie(
            row, "reference", REFERENCE_ALIASES.get(prefix, prefix) + reference[len(prefix) :]
        )
        frequency = row.get("frequency")
        if frequency and not (frequency in HPO_FREQUENCY or _FRACTION.fullmatch(frequency)):
            self.problems.add(
                row,
                "frequency",
                f"expected an HPO frequency term ({', '.join(HPO_FREQUENCY)}), a fraction such as 3/5"
                f" or a percentage such as 40%, found {frequency!r}",
            )
            return
        code = row.get("evidence_code")
        if code and code not in HPO_EVIDENCE:
            self.problems.add(
                row, "evidence_code", f"expected an HPO evidence code ({', '.join(HPO_EVIDENCE)})"
            )
            return
        phenotype = self._curie(row, "phenotype", row.get("phenotype")) if row.get("phenotype") else None
        if target is None or (row.get("phenotype") and phenotype is None):
            return
        local = reference.replace(":", "-") + (
            f"--{row.get('phenotype').replace(':', '-')}" if phenotype else ""
        )
        node = ox.NamedNode(PREFIXES["cor"] + f"{name}--{local}")
        claim = ox.NamedNode(PREFIXES["claim"] + name)
        self._add(row.origin, claim, ckg + "corroboratedBy", node)
        self._add(row.origin, node, RDF + "type", ox.NamedNode(ckg + "ReferenceCorroboration"))
        agrees = agreement == "agrees"
        self._add(row.origin, node, ckg + "agrees", ox.Literal(str(agrees).lower(), datatype=XSD_BOOLEAN))
        self._add(row.origin, node, ckg + "reference", ox.NamedNode(target))
        self._add(row.origin, node, RDFS + "label", ox.Literal(_corroboration_label(row), language="en"))
        self._text(row, node, {"comment": RDFS + "comment"})
        self._text(row, node, {"publication": DCTERMS + "bibliographicCitation"}, language=None)
        if phenotype is not None:
            self._add(row.origin, node, DCTERMS + "subject", ox.NamedNode(phenotype))
        if code:
            self._add(
                row.origin,
                node,
                ckg + "evidenceCode",
                ox.NamedNode(EVIDENCE_PREFIXES["ECO"] + HPO_EVIDENCE[code][4:]),
            )
        self.agreement.setdefault(name, set()).add(agrees)
        self.corroboration_labels.setdefault(name, []).append(_corroboration_label(row))

    def _mappings(self, rows: list[Row]) -> None:
        """SKOS mappings from the SSSOM table; an identifier is the exact match of one entity only."""
        curie_map = self._curie_map(rows[0].path) if rows else {}
        exact: dict[str, Row] = {}
        for row in self._unique(rows, "mapping", ("subject_id", "predicate_id", "object_id")):
            subject = self._mapping_subject(row, curie_map)
            predicate = row.get("predicate_id")
            if predicate not in MAPPING_PREDICATES:
                self.problems.add(
                    row,
                    "predicate_id",
                    f"unknown mapping predicate {predicate!r} (one of {', '.join(MAPPING_PREDICATES)})",
                )
            target = self._curie(row, "object_id", row.get("object_id"), curie_map)
            justification = row.get("mapping_justification")
            if not (justification.startswith("semapv:") and _CURIE.fullmatch(justification)):
                self.problems.add(
                    row, "mapping_justification", f"expected a semapv: term, found {justification!r}"
                )
            if subject is None or target is None or predicate not in MAPPING_PREDICATES:
                continue
            first = exact.setdefault(target, row) if predicate == "skos:exactMatch" else row
            if first.get("subject_id") != row.get("subject_id"):
                self.problems.add(
                    row,
                    "object_id",
                    f"already the exact match of {first.get('subject_id')} ({first.where('subject_id')})",
                )
            self._add(row.origin, subject, SKOS + predicate[5:], ox.NamedNode(target))

    def _mapping_subject(self, row: Row, curie_map: dict[str, str]) -> ox.NamedNode | None:
        """The subject must be an entity of the tables, and ``subject_label`` its label."""
        value = row.get("subject_id")
        key = value[3:] if value.startswith("kb:") else value
        iri = self._curie(row, "subject_id", value, curie_map)
        if iri is None or self._entity_iri(row, "subject_id", key) is None:
            return None
        label = self.entities[key].get("label") or self.vocabulary.labels.get(iri, "")
        if row.get("subject_label") != label:
            self.problems.add(
                row,
                "subject_label",
                f"expected the entity's label {label!r}, found {row.get('subject_label')!r}",
            )
        return ox.NamedNode(iri)

    def _curie_map(self, path: Path) -> dict[str, str]:
        """The ``curie_map`` of the SSSOM metadata; each prefix must be a known one, with its namespace."""
        block = "\n".join(
            line[1:] for line in path.read_text(encoding="utf-8").splitlines() if line.startswith("#")
        )
        top = Row(path, 1, {}, {})
        try:
            metadata = yaml.safe_load(block) or {}
        except yaml.YAMLError as exc:
            self.problems.add(top, "metadata", f"the SSSOM metadata block is not YAML: {exc}")
            return {}
        for key in SSSOM_METADATA:
            if key not in metadata:
                self.problems.add(top, "metadata", f"the SSSOM metadata block lacks {key!r}")
        curie_map = metadata.get("curie_map") or {}
        for prefix, namespace in curie_map.items():
            if self.prefixes.get(prefix) != namespace:
                known = self.prefixes.get(prefix, "none")
                self.problems.add(
                    top, "curie_map", f"unknown prefix {prefix!r}: {namespace} (known namespace: {known})"
                )
        return {prefix: ns for prefix, ns in curie_map.items() if self.prefixes.get(prefix) == ns}


#: Labels of the HPO frequency terms (HP 2025-01-16), as the annotations give them.
HPO_FREQUENCY = {
    "HP:0040280": "obligate",
    "HP:0040281": "very frequent",
    "HP:0040282": "frequent",
    "HP:0040283": "occasional",
    "HP:0040284": "very rare",
    "HP:0040285": "excluded",
}


def _corroboration_label(row: Row) -> str:
    """How a corroboration reads in an answer.

    >>> cells = {"agreement": "agrees", "resource": "hpoa", "reference": "ORPHA:90291",
    ...          "reference_label": "Systemic sclerosis", "phenotype_label": "Calcinosis cutis",
    ...          "frequency": "HP:0040282", "evidence_code": "TAS"}
    >>> _corroboration_label(Row(Path("c.tsv"), 2, cells, {}))
    'agrees: HPO annotation ORPHA:90291 (Systemic sclerosis): Calcinosis cutis, frequent, TAS'
    """
    get = row.get
    if get("resource") == "hpoa":
        frequency = HPO_FREQUENCY.get(get("frequency"), get("frequency"))
        details = ", ".join(
            part for part in (get("phenotype_label"), frequency, get("evidence_code")) if part
        )
        text = f"HPO annotation {get('reference')} ({get('reference_label')}): {details}"
    else:
        text = f"{get('resource')} hierarchy: {get('reference')} ({get('reference_label')})"
    return f"{get('agreement')}: {text}"


def _assess(sources: int, hedged: bool, issues: set[str], agreement: set[bool]) -> str:
    """The assessment status of a claim (a local name of :data:`STATUSES`), first rule that holds.

    A doubtful-statement note, or a conflict side judged unsupported, makes it doubtful; a
    reference that disagrees, and none that agrees, disputed; a reference that agrees,
    corroborated; an undecided conflict side, disputed; two or more sources, several sources;
    every passage hedged, hedged; otherwise single source.

    >>> _assess(1, True, set(), set()), _assess(2, True, set(), set()), _assess(1, False, set(), set())
    ('Hedged', 'SeveralSources', 'SingleSource')
    >>> _assess(2, False, {"Conflict"}, {True}), _assess(3, False, {"Conflict"}, set())
    ('Corroborated', 'Disputed')
    >>> _assess(1, False, {"DoubtfulStatement"}, {True}), _assess(2, False, set(), {False})
    ('Doubtful', 'Disputed')
    """
    if "DoubtfulStatement" in issues or "UnsupportedSide" in issues:
        return "Doubtful"
    if False in agreement and True not in agreement:
        return "Disputed"
    if True in agreement:
        return "Corroborated"
    if "Conflict" in issues:
        return "Disputed"
    if sources > 1:
        return "SeveralSources"
    return "Hedged" if hedged else "SingleSource"
