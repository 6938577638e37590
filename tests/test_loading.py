"""Loading: blank nodes stay apart between files, tables and RDF files load side by side."""

from __future__ import annotations

import contextlib
import re

import pyoxigraph as ox
import pytest

from calcinosis_kg.errors import InvalidDataError
from calcinosis_kg.loading import expand_paths, load_parts, parse_quads

OWL_DISJOINT = "http://www.w3.org/2002/07/owl#AllDisjointClasses"


def blank_nodes(found):
    return {t for q in found for t in (q.subject, q.object) if isinstance(t, ox.BlankNode)}


def test_a_user_file_named_like_the_ontology_keeps_its_blank_nodes_apart(tmp_path):
    # the regression: both files are called calcinosis.ttl, and blank labels were salted by name only
    mine = tmp_path / "calcinosis.ttl"
    mine.write_text('<urn:x> <urn:note> [ <urn:text> "mine" ] .\n', encoding="utf-8")
    parts = load_parts(mine, kb=False)
    assert blank_nodes(parts["data"]) and not blank_nodes(parts["data"]) & blank_nodes(parts["ontology"])
    disjoint = {q.subject for q in parts["ontology"] if q.object == ox.NamedNode(OWL_DISJOINT)}
    assert not {q.predicate.value for q in parts["data"] if q.subject in disjoint}


def test_blank_node_labels_do_not_change_between_loads(tmp_path):
    mine = tmp_path / "mine.ttl"
    mine.write_text('<urn:x> <urn:note> [ <urn:text> "mine" ] .\n', encoding="utf-8")
    assert load_parts(mine, kb=False)["data"] == load_parts(mine, kb=False)["data"]


def test_a_folder_yields_its_tables_and_rdf_files(tmp_path):
    for name in ("a.ttl", "b.tsv", "c.txt"):
        (tmp_path / name).write_text("", encoding="utf-8")
    assert [p.name for p in expand_paths([tmp_path])] == ["a.ttl", "b.tsv"]


def test_the_input_digest_covers_the_tables(tmp_path, monkeypatch):
    from calcinosis_kg import resources
    from calcinosis_kg.resources import kb_files

    copies = []
    for path in kb_files():
        copies.append(tmp_path / path.name)
        copies[-1].write_bytes(path.read_bytes())
    monkeypatch.setattr(resources, "kb_files", lambda: copies)
    before = resources.input_digest()
    claims = tmp_path / "claims.tsv"
    claims.write_text(claims.read_text(encoding="utf-8").replace("Treatment", "Therapy", 1), encoding="utf-8")
    assert resources.input_digest() != before


# --- hostile and unfaithful files: a clear error naming the file, or a warning ---------------------

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [
 <!ENTITY a "aaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
 <rdf:Description rdf:about="http://example.org/s"><ex:p>&b;</ex:p></rdf:Description>
</rdf:RDF>
"""
SIMPLE_ENTITY = LAUGHS.replace('<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n', "").replace("&b;", "&a;")
REFUSED_FILES = {
    "laughs.rdf": (LAUGHS, r"laughs\.rdf:4:2: the XML entity 'b' refers to other entities"),
    "external.rdf": (
        LAUGHS.replace('"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"', 'SYSTEM "file:///etc/passwd"'),
        r"external\.rdf:4:2: external and parameter XML entities are not read",
    ),
    "remote.jsonld": (
        '{"@context": "http://127.0.0.1:9/context.jsonld", "@id": "urn:s", "urn:p": "x"}',
        r"remote\.jsonld: a remote JSON-LD @context is not fetched",
    ),
    "quoted.n3": ("@prefix : <urn:> .\n:claim :says { :x :cures :y } .\n", r"quoted\.n3:2:14: N3 formulae"),
    "triple-term.ttl": (
        "PREFIX : <urn:>\n:a :b <<( :x :y :z )>> .\n",
        r"triple-term\.ttl:2:7: RDF 1\.2 triple terms",
    ),
    "broken.rdf": (
        '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about="urn:s">\n<p/></rdf:Description>\n</rdf:RDF>\n',
        r"broken\.rdf:\d+:\d+: syntax error: ",
    ),
    "bad.xml": ("<rdf:RDF>\n  <unclosed>\n</rdf:RDF>\n", r"bad\.xml:3:3: syntax error"),
    "graphs.trix": ("<TriX/>", r"graphs\.trix: unknown RDF format '\.trix'"),
    "huge.nt": (
        '<urn:s> <urn:p> "' + "x" * (2**20 + 1) + '" .\n',
        r"huge\.nt: a literal of 1,048,577 characters",
    ),
}


@pytest.mark.parametrize("name", list(REFUSED_FILES))
def test_a_hostile_or_unfaithful_file_is_refused_by_name(tmp_path, listener_free, name):
    text, message = REFUSED_FILES[name]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InvalidDataError, match=re.escape(str(tmp_path)) + "/" + message):
        parse_quads(path)


@pytest.fixture
def listener_free():
    """Nothing may connect while files are parsed: a loopback listener on the port the files name."""
    import socket

    sock = socket.socket()
    try:
        sock.bind(("127.0.0.1", 9))
    except OSError:
        yield None
        return
    sock.listen(1)
    sock.settimeout(0.05)
    yield sock
    with contextlib.suppress(OSError):
        sock.accept()
        pytest.fail("a file made the loader connect")
    sock.close()


def test_simple_xml_entities_are_read(tmp_path):
    path = tmp_path / "simple.rdf"
    path.write_text(SIMPLE_ENTITY, encoding="utf-8")
    assert [q.object.value for q in parse_quads(path)] == ["aaaaaaaaaa"]


def test_a_byte_order_mark_is_skipped(tmp_path):
    path = tmp_path / "bom.ttl"
    path.write_bytes(b"\xef\xbb\xbf<urn:a> <urn:b> <urn:c> .\n")
    assert len(parse_quads(path)) == 1


def test_an_empty_file_and_dropped_graph_names_are_warned(tmp_path, caplog):
    empty, named = tmp_path / "empty.ttl", tmp_path / "named.trig"
    empty.write_text("", encoding="utf-8")
    named.write_text("<urn:g> { <urn:a> <urn:b> <urn:c> }\n", encoding="utf-8")
    assert parse_quads(empty) == [] and len(parse_quads(named)) == 1
    assert "empty.ttl: the file holds no triples" in caplog.text
    assert "named.trig: its 1 graph names are dropped" in caplog.text


def test_a_file_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    from calcinosis_kg import loading

    path = tmp_path / "big.nt"
    path.write_text("<urn:a> <urn:b> <urn:c> .\n" * 10, encoding="utf-8")
    monkeypatch.setattr(loading, "MAX_FILE_BYTES", 100)
    with pytest.raises(InvalidDataError, match=r"big\.nt: 260 bytes is more than the 100 read"):
        parse_quads(path)


def _large(path, lines: list[str], copies: int) -> None:
    """Write ``lines`` and ``copies`` more triples: a file over the 1 MiB that Oxigraph loads itself."""
    filler = "".join(f'<urn:s{i}> <urn:p> "filler number {i}" .\n' for i in range(copies))
    path.write_text("".join(lines) + filler, encoding="utf-8")


@pytest.mark.parametrize("suffix", [".nt", ".ttl"])
def test_a_large_plain_file_loads_straight_into_the_store_with_the_same_triples(
    tmp_path, monkeypatch, suffix
):
    from calcinosis_kg import loading

    path = tmp_path / f"large{suffix}"
    _large(path, ['<urn:a> <urn:b> "caf\\u00e9"@fr .\n'], 30_000)
    expected, expected_of = set(parse_quads(path)), parse_quads
    parsed = []
    monkeypatch.setattr(loading, "parse_quads", lambda p, base_iri=None: parsed.append(p) or expected_of(p))
    data = load_parts(path, kb=False)["data"]
    assert set(data) == expected and len(data) == 30_001
    assert path not in parsed, "the large file went through the Python parser"


def test_a_large_file_with_a_syntax_error_names_its_line(tmp_path):
    path = tmp_path / "large.nt"
    _large(path, ["<urn:a> <urn:b> <urn:c> .\n", "<urn:a> <urn:b> .\n"], 30_000)
    with pytest.raises(InvalidDataError, match=re.escape(f"{path}:2:")):
        load_parts(path, kb=False)


def test_a_large_file_with_blank_nodes_keeps_stable_labels(tmp_path):
    path = tmp_path / "large.nt"
    _large(path, ['_:one <urn:b> "x" .\n'], 30_000)
    first, second = (blank_nodes(load_parts(path, kb=False)["data"]) for _ in range(2))
    assert first == second and len(first) == 1


def test_a_large_file_with_a_long_literal_is_refused(tmp_path, monkeypatch):
    from calcinosis_kg import loading

    monkeypatch.setattr(loading, "MAX_LITERAL_CHARS", 1000)
    path = tmp_path / "large.nt"
    _large(path, [f'<urn:a> <urn:b> "{"x" * 2000}" .\n'], 30_000)
    with pytest.raises(InvalidDataError, match="a literal of 2,000 characters"):
        load_parts(path, kb=False)
