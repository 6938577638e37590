"""The package for Python users: the types its functions return and raise at the top level, and a
QueryResult that notebooks show as a table and pandas reads."""

from __future__ import annotations

import subprocess
import sys

import pytest

import calcinosis_kg
from calcinosis_kg.sparql.terms import Term


def test_every_public_name_is_importable_from_the_top():
    assert len(calcinosis_kg.__all__) == len(set(calcinosis_kg.__all__)) == 19
    missing = [name for name in calcinosis_kg.__all__ if not hasattr(calcinosis_kg, name)]
    assert missing == []
    assert isinstance(calcinosis_kg.run_query("types"), calcinosis_kg.QueryResult)
    with pytest.raises(calcinosis_kg.QueryError, match="no-such-query"):
        calcinosis_kg.run_query("no-such-query")
    assert issubclass(calcinosis_kg.QueryError, calcinosis_kg.CalcinosisKGError)


def test_the_html_table_escapes_every_value_and_shows_curies():
    result = calcinosis_kg.QueryResult(
        "select",
        ["entity", "label", "empty"],
        [
            {
                "entity": Term.iri("https://w3id.org/calcinosis-kg/entity/warfarin"),
                "label": Term.literal("<b>&"),
            }
        ],
    )
    page = result._repr_html_()
    assert "<th>entity</th><th>label</th><th>empty</th>" in page
    assert "<td>kb:warfarin</td><td>&lt;b&gt;&amp;</td><td></td>" in page
    assert "<b>" not in page


def test_a_canned_query_becomes_a_dataframe():
    import pandas  # a test dependency: the test runs in CI

    result = calcinosis_kg.run_query("types")
    frame = result.to_dataframe()
    assert isinstance(frame, pandas.DataFrame)
    assert list(frame.columns) == result.columns
    assert len(frame) == len(result) > 5
    assert "https://w3id.org/calcinosis-kg/ontology/MetastaticCalcinosis" in set(frame["type"])


def test_without_pandas_the_dataframe_says_what_to_install():
    script = (
        "import sys; sys.modules['pandas'] = None\n"
        "from calcinosis_kg import QueryResult\n"
        "try:\n    QueryResult('select', ['a'], []).to_dataframe()\n"
        "except ImportError as exc:\n    print(exc)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert "needs pandas" in done.stdout and "pip install pandas" in done.stdout
