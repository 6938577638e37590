"""Shared fixtures: one reasoned graph per session, and a private artifact folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from calcinosis_kg import load_graph, reason

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def _private_release_home(tmp_path_factory):
    """Build artifacts into a temporary folder, never into the user's cache."""
    previous = os.environ.get("CALCINOSIS_KG_HOME")
    os.environ["CALCINOSIS_KG_HOME"] = str(tmp_path_factory.mktemp("release-home"))
    yield
    if previous is None:
        os.environ.pop("CALCINOSIS_KG_HOME", None)
    else:
        os.environ["CALCINOSIS_KG_HOME"] = previous


@pytest.fixture(scope="session")
def asserted():
    """The ontology and the knowledge base, as loaded."""
    return load_graph()


@pytest.fixture(scope="session")
def reasoned(asserted):
    """The reasoned graph (default engine), computed once per session."""
    return reason(asserted)
