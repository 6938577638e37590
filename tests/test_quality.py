"""The quality checks of queries/qc/, each on its own case: tests/qc/NAME.ttl, written after the base
of every case (tests/base.ttl), names in ``# expect-row: a | b | c`` lines the rows that
qc/NAME must return, and no other."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from calcinosis_kg import load_graph, reason
from calcinosis_kg.quality import quality_failures, quality_rows
from calcinosis_kg.serialize import to_bytes
from calcinosis_kg.sparql.catalog import query_names

CASES = Path(__file__).resolve().parent / "qc"
CHECKS = [name for name in query_names() if name.startswith("qc/")]


def rows_of(path: Path) -> dict[str, list[tuple[str, ...]]]:
    """Load and reason like the product, then run every quality check."""
    return quality_rows(to_bytes(reason(load_graph(path, kb=False)).merged, "nt"))


def test_every_check_has_a_case():
    assert len(CHECKS) == 4
    assert sorted(f"qc/{p.stem}" for p in CASES.glob("*.ttl")) == sorted(CHECKS)


@pytest.mark.parametrize("check", CHECKS)
def test_each_check_returns_the_rows_of_its_case(check, on_base):
    case = CASES / f"{check.removeprefix('qc/')}.ttl"
    expected = re.findall(r"^#\s*expect-row:\s*(.+?)\s*$", case.read_text(encoding="utf-8"), re.M)
    assert expected, f"{case.name}: no expect-row line"
    found = rows_of(on_base(case))
    assert set(found) == {check}, "a case fails its own check and no other"
    assert sorted(found[check]) == sorted(tuple(row.split(" | ")) for row in expected)


def test_the_base_and_the_knowledge_base_pass_every_check(reasoned):
    assert rows_of(Path(__file__).resolve().parent / "base.ttl") == {}
    assert quality_failures(to_bytes(reasoned.merged, "nt")) == {}
