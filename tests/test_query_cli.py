"""The ``queries`` and ``query`` subcommands."""

from __future__ import annotations

import csv
import io
import json

import pytest

from calcinosis_kg.cli import main
from calcinosis_kg.sparql import list_queries


@pytest.fixture
def cli(release, capsys):
    def call(*argv):
        code = main(list(argv))
        out, err = capsys.readouterr()
        return code, out, err

    return call


def test_queries_lists_every_query(cli):
    code, out, _ = cli("queries")
    assert code == 0
    for name in ["types", "causes", "differential", "qc/duplicate-label"]:
        assert name in out
    assert "--param findings=" in out


def test_types_table_and_formats(cli):
    code, out, _ = cli("query", "types", "--wide")
    assert code == 0 and "dystrophic calcinosis" in out and out.splitlines()[1].startswith("---")
    _, out, _ = cli("query", "types", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert "metastatic calcinosis" in {r["label"] for r in rows}
    _, out, _ = cli("query", "types", "--format", "json")
    assert json.loads(out)["head"]["vars"][0] == "type"
    _, out, _ = cli("query", "types", "--format", "tsv")
    assert out.startswith("?type\t?label")
    _, out, _ = cli("query", "types", "--format", "xml")
    assert "<sparql xmlns=" in out


def test_params_and_engines(cli):
    code, out, _ = cli("query", "causes", "--param", "type=metastatic calcinosis", "--format", "csv")
    assert code == 0 and "milk-alkali syndrome" in out
    code, out2, _ = cli(
        "query", "causes", "-p", "type=metastatic calcinosis", "--format", "csv", "--engine", "rdflib"
    )
    assert sorted(out.splitlines()) == sorted(out2.splitlines())


def test_bad_parameters_exit_2(cli):
    code, _, err = cli("query", "causes", "--param", "typo=x")
    assert code == 2 and "valid parameters: type" in err
    code, _, err = cli("query", "evidence")
    assert code == 2 and "needs the parameter 'entity'" in err
    code, _, err = cli("query", "evidence", "--param", "entity=warfarn")
    assert code == 2 and "close matches: warfarin" in err
    code, _, err = cli("query", "causes", "--param", "novalue")
    assert code == 2 and "NAME=VALUE" in err


def test_adhoc_refused_and_limit(cli, tmp_path):
    code, _, err = cli("query", "--sparql", "DELETE WHERE { ?s ?p ?o }")
    assert code == 2 and "refused" in err
    query = tmp_path / "q.rq"
    query.write_text("SELECT * WHERE { ?s ?p ?o }")
    code, out, err = cli("query", "--file", str(query), "--limit", "3", "--format", "csv")
    assert code == 0 and len(out.strip().splitlines()) == 4 and "cut at 3 rows" in err


def test_construct_prints_rdf(cli):
    text = "CONSTRUCT WHERE { ?s a <https://w3id.org/calcinosis-kg/ontology/SourceDocument> }"
    _, out, _ = cli("query", "--sparql", text, "--format", "nt")
    assert len(out.strip().splitlines()) == 5
    _, out, _ = cli("query", "--sparql", text)
    assert "@prefix" in out


def test_quality_check_exit_codes(cli):
    code, _, _ = cli("query", "qc/duplicate-label")
    assert code == 0


def test_timeout_exit_2(cli):
    text = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    code, _, err = cli("query", "--sparql", text, "--timeout", "1")
    assert code == 2 and "ran out of time" in err


@pytest.mark.parametrize("name", [q["name"] for q in list_queries(qc=False) if not q.get("params")])
def test_every_table_fits_a_100_column_terminal(cli, monkeypatch, name):
    monkeypatch.setenv("COLUMNS", "100")
    code, out, _ = cli("query", name)
    assert code == 0 and max(len(line) for line in out.splitlines()) <= 100
    body = out.split("\n", 2)[2]
    assert "calcinosis-kg/entity/" not in body and "calcinosis-kg/ontology/" not in body  # CURIEs


def test_wide_tables_keep_each_row_on_one_line(cli):
    _, out, _ = cli("query", "types", "--wide", "--format", "table")
    _, csv_out, _ = cli("query", "types", "--format", "csv")
    assert len(out.splitlines()) == len(csv_out.splitlines()) + 1  # header, rule, rows
