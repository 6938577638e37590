"""The command line, run in-process: exit codes, messages, and bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from calcinosis_kg.cli import main

GOOD_CLAIM = """
@prefix ckg: <https://w3id.org/calcinosis-kg/ontology/> .
@prefix kb: <https://w3id.org/calcinosis-kg/entity/> .
@prefix claim: <https://w3id.org/calcinosis-kg/claim/> .
@prefix ev: <https://w3id.org/calcinosis-kg/evidence/> .
@prefix src: <https://w3id.org/calcinosis-kg/source/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
ckg:Calcinosis ckg:occursIn kb:test-population-of-curators .
kb:test-population-of-curators a ckg:Population ;
    <http://www.w3.org/2000/01/rdf-schema#label> "test population of curators"@en ;
    <http://www.w3.org/2004/02/skos/core#definition> "People who test the graph."@en .
claim:Calcinosis--occursIn--test-population-of-curators a ckg:Claim ;
    rdf:subject ckg:Calcinosis ; rdf:predicate ckg:occursIn ; rdf:object kb:test-population-of-curators ;
    ckg:status ckg:SingleSource ; ckg:sourceCount 1 ;
    ckg:hasEvidence ev:Calcinosis--occursIn--test-population-of-curators--001 .
ev:Calcinosis--occursIn--test-population-of-curators--001 a ckg:Evidence ;
    ckg:fromSource src:001_d76e8ed3ab9310dd ;
    ckg:excerpt "Calcinosis is a medical condition." .
"""

WRONG_CLASS = """
@prefix ckg: <https://w3id.org/calcinosis-kg/ontology/> .
@prefix kb: <https://w3id.org/calcinosis-kg/entity/> .
ckg:Calcinosis ckg:hasSymptom kb:not-a-finding .
kb:not-a-finding a ckg:AnatomicalSite ;
    <http://www.w3.org/2000/01/rdf-schema#label> "not a finding"@en ;
    <http://www.w3.org/2004/02/skos/core#definition> "A site used as a symptom by mistake."@en .
"""


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_help_lists_the_subcommands(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    for command in ("build", "validate", "reason", "stats"):
        assert command in out


@pytest.mark.parametrize("command", ["build", "validate", "reason", "stats"])
def test_each_subcommand_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: calcinosis-kg " + command in capsys.readouterr().out


def test_unknown_subcommand_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_validate_the_graph(capsys):
    assert main(["validate"]) == 0
    assert "valid" in capsys.readouterr().err


def test_validate_a_contributed_claims_file(tmp_path):
    assert main(["validate", "--data", str(write(tmp_path, "claims.ttl", GOOD_CLAIM))]) == 0


UNLINKED_ENTITY = (
    "id\tcategory\tlabel\tdefinition\tsource\n"
    "lonely-finding\tckg:ClinicalFinding\tlonely finding\tA finding no claim uses.\t000_e6789d8eeedda09f\n"
)


@pytest.mark.parametrize("command", ["validate", "build"])
def test_validate_and_build_run_the_same_quality_checks(command, tmp_path, capsys):
    args = [command, "--data", str(write(tmp_path, "my-entities.tsv", UNLINKED_ENTITY))]
    assert main(args + (["--out", str(tmp_path / "out")] if command == "build" else [])) == 1
    assert "quality check qc/unlinked-entity failed" in capsys.readouterr().err


def test_syntax_error_names_file_line_and_column(tmp_path, capsys):
    bad = write(tmp_path, "bad.ttl", '@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:d ex:e "open .\n')
    assert main(["validate", "--data", str(bad)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"calcinosis-kg: error: {bad}:3:")
    assert "syntax error" in err
    assert "Traceback" not in err and len(err.splitlines()) == 1


def test_unknown_file_is_a_usage_error(tmp_path, capsys):
    missing = tmp_path / "nope.ttl"
    assert main(["validate", "--data", str(missing)]) == 2
    assert f"{missing}: no such file or folder" in capsys.readouterr().err


@pytest.mark.parametrize("engine", ["oxigraph", "pyshacl"])
def test_invalid_data_fails_naming_the_contradiction_and_the_unbacked_edge(tmp_path, capsys, engine):
    path = write(tmp_path, "wrong.ttl", WRONG_CLASS)
    assert main(["validate", "--engine", engine, "--data", str(path)]) == 1
    err = capsys.readouterr().err
    assert "contradiction: <https://w3id.org/calcinosis-kg/entity/not-a-finding>" in err
    assert (
        "quality check qc/edge-without-claim failed: https://w3id.org/calcinosis-kg/ontology/Calcinosis"
        in err
    )


def test_contradiction_fails_build_and_keeps_previous_output(tmp_path, capsys):
    out = tmp_path / "dist"
    assert main(["--quiet", "build", "--out", str(out)]) == 0
    before = (out / "merged.nt").read_bytes()
    clash = write(
        tmp_path,
        "clash.ttl",
        "<https://w3id.org/calcinosis-kg/entity/x> a "
        "<https://w3id.org/calcinosis-kg/ontology/AnatomicalSite> , "
        "<https://w3id.org/calcinosis-kg/ontology/Drug> .\n",
    )
    assert main(["--quiet", "build", "--out", str(out), "--data", str(clash)]) == 1
    assert "contradiction:" in capsys.readouterr().err
    assert (out / "merged.nt").read_bytes() == before
    assert json.loads((out / "build-info.json").read_text())["ok"] is True  # the previous build's
    assert json.loads((tmp_path / "dist.failed" / "build-info.json").read_text())["ok"] is False
    assert not list(tmp_path.glob(".*.tmp"))


def test_reason_prints_inferred_turtle(capsys):
    assert main(["--quiet", "reason", "--format", "nt"]) == 0
    out = capsys.readouterr().out
    assert "<https://w3id.org/calcinosis-kg/ontology/causedBy>" in out


def test_stats_json(capsys):
    assert main(["stats", "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert counts["triples"]["https://w3id.org/calcinosis-kg/graph/kb"] > 0
    assert counts["triples"]["https://w3id.org/calcinosis-kg/graph/inferred"] > 0
    assert counts["entities"]["ckg:Calcinosis"] >= 6
    assert "ckg:Claim" not in counts["entities"] and "ckg:Evidence" not in counts["entities"]
    assert counts["sources"]["src:000_e6789d8eeedda09f"] > 0
    assert sum(counts["sources"].values()) >= sum(counts["claims"].values())


def test_verbose_shows_traceback_on_runtime_error(tmp_path, capsys, monkeypatch):

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("calcinosis_kg.sparql.runner.run_query", boom)
    assert main(["stats"]) == 2
    assert capsys.readouterr().err.strip() == "calcinosis-kg: error: RuntimeError: disk on fire"
    assert main(["--verbose", "stats"]) == 2
    assert "Traceback" in capsys.readouterr().err


def test_python_dash_m_runs_the_cli():
    done = subprocess.run(
        [sys.executable, "-m", "calcinosis_kg", "--version"], capture_output=True, text=True
    )
    assert done.returncode == 0 and done.stdout.startswith("calcinosis-kg ")


def test_the_program_exits_with_the_code_of_the_command(on_base):
    case = on_base(Path(__file__).parent / "qc" / "claim-without-edge.ttl")
    command = [sys.executable, "-m", "calcinosis_kg", "validate", "--data", str(case)]
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 1, done.stderr
    assert "quality check qc/claim-without-edge failed" in done.stderr
    assert "claim/systemic-sclerosis--causes--CalcinosisCutis" in done.stderr
