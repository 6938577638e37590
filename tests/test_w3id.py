"""The w3id.org redirect rules (``w3id/.htaccess``): read as Apache's mod_rewrite reads them, for
sample IRIs and ``Accept`` headers, and followed to a running ``calcinosis-kg serve``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from test_server import serving

HTACCESS = Path(__file__).resolve().parent.parent / "w3id" / ".htaccess"
W3ID = "https://w3id.org/calcinosis-kg/"
DEPLOYMENT = "https://calcinosis-kg.example.org"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


@dataclass
class Rule:
    pattern: str
    target: str
    flags: str
    conditions: list[tuple[str, str, str]] = field(default_factory=list)  # (variable, regex, flags)


def rules() -> list[Rule]:
    """The RewriteRules in order, each with the RewriteConds just above it."""
    found, pending = [], []
    for line in HTACCESS.read_text(encoding="utf-8").splitlines():
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        if words[0] == "RewriteCond":
            pending.append((words[1], words[2], words[3] if len(words) > 3 else ""))
        elif words[0] == "RewriteRule":
            found.append(Rule(words[1], words[2], words[3] if len(words) > 3 else "", pending))
            pending = []
    return found


def redirect(iri: str, accept: str) -> tuple[str, int]:
    """Where w3id.org sends a request for ``iri`` with ``accept``, and with which status."""
    assert iri.startswith(W3ID)
    path = iri[len(W3ID) :]
    for rule in rules():
        match = re.search(rule.pattern, path)
        if match is None:
            continue
        headers = {"%{HTTP_ACCEPT}": accept}
        if all(
            re.search(regex, headers[variable], re.IGNORECASE if "NC" in flags else 0)
            for variable, regex, flags in rule.conditions
        ):
            target = re.sub(r"\$(\d)", lambda m, found=match: found.group(int(m.group(1))), rule.target)
            redirect_flag = re.search(r"R=(\d+)", rule.flags)
            assert redirect_flag is not None, rule
            status = int(redirect_flag.group(1))
            assert "L" in rule.flags.strip("[]").split(",")
            return target, status
    raise AssertionError(f"no rule for {iri}")


SAMPLES = [
    (W3ID + "entity/warfarin", BROWSER, "/entity/warfarin", "text/html"),
    (W3ID + "entity/warfarin", "text/turtle", "/entity/warfarin.ttl", "text/turtle"),
    (W3ID + "entity/warfarin", "application/n-triples", "/entity/warfarin.nt", "application/n-triples"),
    (W3ID + "entity/warfarin", "application/ld+json", "/entity/warfarin.jsonld", "application/ld+json"),
    (
        W3ID + "entity/hypervitaminosis-d",
        "application/rdf+xml",
        "/entity/hypervitaminosis-d.rdf",
        "application/rdf+xml",
    ),
    (W3ID + "entity/warfarin", "*/*", "/entity/warfarin", "text/turtle"),
    (W3ID + "ontology/treatedBy", BROWSER, "/ontology/treatedBy", "text/html"),
    (
        W3ID + "ontology/MetastaticCalcinosis",
        "text/turtle",
        "/ontology/MetastaticCalcinosis.ttl",
        "text/turtle",
    ),
    (
        W3ID + "claim/warfarin--causes--IatrogenicCalcinosis",
        BROWSER,
        "/claim/warfarin--causes--IatrogenicCalcinosis",
        "text/html",
    ),
    (W3ID + "source/000_e6789d8eeedda09f", "text/turtle", "/source/000_e6789d8eeedda09f.ttl", "text/turtle"),
    (W3ID + "ontology", BROWSER, "/ontology", "text/html"),
    (W3ID + "ontology", "text/turtle", "/ontology.ttl", "text/turtle"),
    (W3ID + "ontology", "application/ld+json", "/ontology.jsonld", "application/ld+json"),
    (W3ID, BROWSER, "/", "text/html"),
]


@pytest.mark.parametrize(("iri", "accept", "path", "media"), SAMPLES)
def test_the_rules_send_each_iri_to_its_page_or_serialization(iri, accept, path, media):
    target, status = redirect(iri, accept)
    assert target == DEPLOYMENT + path
    assert status in (302, 303)


def test_an_iri_outside_the_pages_goes_to_the_query_page():
    assert redirect(W3ID + "entity/../../etc", BROWSER)[0] == DEPLOYMENT + "/"
    assert redirect(W3ID + "graph/kb", "text/turtle")[0] == DEPLOYMENT + "/"


@pytest.fixture(scope="module")
def deployment(release):
    with serving(release, workers=1, spares=0) as url:
        yield url.rsplit("/", 1)[0]


def test_every_redirect_target_answers_on_a_deployment(deployment):
    for iri, accept, _, media in SAMPLES:
        target, _ = redirect(iri, accept)
        response = httpx.get(
            deployment + target[len(DEPLOYMENT) :], headers={"Accept": accept}, trust_env=False
        )
        assert response.status_code == 200, (iri, accept, response.text[:200])
        assert response.headers["content-type"].split(";")[0] == media, (iri, accept)
