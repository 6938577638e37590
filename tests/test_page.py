"""The query page and the resource pages in a real browser: Debian's chromium, headless, driven
by Selenium through Debian's chromedriver, against ``calcinosis-kg serve`` on a loopback port.

Expected rows come from the golden answers (``tests/expected/``) and the curation tables
(``kb/``), never from the server. Screenshots go to a temporary folder, printed at the end
(``pytest -s`` shows it). Without chromium the tests are skipped, except under ``CI=true``,
where they fail (``.ci/run`` installs it).
"""

from __future__ import annotations

import csv
import os
import shutil
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from test_queries import _expected as golden
from test_server import serving

HERE = Path(__file__).resolve().parent
KB = HERE.parent / "kb"
CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")
#: without the networking switches the browser tries to reach the network and a closed machine refuses it
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--window-size=1280,900",
]
CKG, KB_NS = "https://w3id.org/calcinosis-kg/ontology/", "https://w3id.org/calcinosis-kg/entity/"
WAIT = 20.0


def chromium_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        return "chromium is not installed (Debian: chromium chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="module")
def site(release):
    """The server's root URL."""
    with serving(release, workers=2, spares=1) as url:
        yield url.rsplit("/", 1)[0] + "/"


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    folder = tmp_path_factory.mktemp("screenshots")
    yield folder
    print(f"\nscreenshots: {folder}")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    reason = chromium_missing()
    if reason is not None:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tmp_path_factory.mktemp("chromium-profile")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in [*FLAGS, f"--user-data-dir={profile}"]:
        options.add_argument(flag)
    # the driver is Debian's: selenium-manager is never asked to find or download one
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(WAIT)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


def wait_for(driver, condition, seconds: float = WAIT):
    """The first true value of ``condition(driver)`` within ``seconds``."""
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, seconds).until(condition)


def shot(driver, folder: Path, name: str, whole: bool = True) -> Path:
    """Save a screenshot as ``name.png``: of the whole page (the window grown to its height), or
    of what the screen shows."""
    path = folder / f"{name}.png"
    if not whole:
        driver.save_screenshot(str(path))
        return path
    width = driver.execute_script("return window.innerWidth")
    height = driver.execute_script("return Math.min(document.documentElement.scrollHeight, 6000)")
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500},
    )
    driver.save_screenshot(str(path))
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    return path


def as_shown(value: str) -> str:
    """A golden value as the page shows it: the project's IRIs as CURIEs."""
    return value.replace(CKG, "ckg:").replace(KB_NS, "kb:")


def table(driver) -> tuple[list[str], list[list[str]]]:
    """The header and the rows of the result table, as the page shows them."""
    found = driver.execute_script(
        "const t = document.getElementById('result-table');"
        "return [[...t.tHead.rows[0].cells].map(c => c.textContent),"
        "        [...t.tBodies[0].rows].map(r => [...r.cells].map(c => c.textContent))];"
    )
    return found[0], found[1]


def open_page(driver, url: str) -> None:
    driver.get(url)
    wait_for(driver, lambda d: d.execute_script("return document.readyState") == "complete")


def test_a_canned_query_runs_from_its_form(browser, site, shots):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    open_page(browser, site)
    Select(browser.find_element(By.ID, "canned")).select_by_value("linked-types")
    field = wait_for(browser, lambda d: d.find_element(By.ID, "param-condition"))
    assert field.get_attribute("list") == "names"  # suggestions from labels and synonyms
    wait_for(
        browser, lambda d: d.execute_script("return document.getElementById('names').options.length") > 100
    )
    suggestions = browser.execute_script(
        "return [...document.getElementById('names').options].map(o => o.value)"
    )
    assert {"systemic sclerosis", "scleroderma", "warfarin"} <= set(suggestions)  # label, synonym
    field.send_keys("systemic sclerosis")
    browser.find_element(By.ID, "run-canned").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "result-table"))
    header, rows = table(browser)
    columns, want = golden("linked-types-condition=systemic-sclerosis")
    assert set(columns) <= set(header)  # the status and sources columns are shown
    got = {tuple(row[header.index(c)] for c in columns) for row in rows}
    assert got == {tuple(as_shown(v) for v in row) for row in want}
    link = browser.find_element(By.CSS_SELECTOR, "#result-table td.col-factor a")
    assert urlsplit(link.get_attribute("href")).path.startswith("/entity/")
    shared = urlsplit(browser.current_url)
    assert parse_qs(shared.query) == {"canned": ["linked-types"], "condition": ["systemic sclerosis"]}
    print(shot(browser, shots, "canned-query"))

    open_page(browser, browser.current_url)  # the shared address runs the query again
    wait_for(browser, lambda d: d.find_elements(By.ID, "result-table"))
    assert {tuple(r[header.index(c)] for c in columns) for r in table(browser)[1]} == got
    assert browser.find_element(By.ID, "param-condition").get_attribute("value") == "systemic sclerosis"


def test_the_editor_runs_sparql_with_the_project_prefixes(browser, site, shots):
    from selenium.webdriver.common.by import By

    open_page(browser, site)
    editor = browser.find_element(By.ID, "query")
    assert "PREFIX ckg: <https://w3id.org/calcinosis-kg/ontology/>" in editor.get_attribute("value")
    query = 'SELECT ?label WHERE { kb:warfarin rdfs:label ?label . BIND("<img src=x id=xss>" AS ?x) }'
    browser.execute_script(
        "arguments[0].value = arguments[0].value.split('SELECT')[0] + arguments[1]", editor, query
    )
    browser.find_element(By.ID, "run-sparql").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "result-table"))
    assert table(browser) == (["label"], [["warfarin"]])
    shared = parse_qs(urlsplit(browser.current_url).query)["query"][0]
    assert shared.startswith("PREFIX ckg:") and shared.endswith(query)

    literal = "SELECT ?x WHERE { BIND(\"<img src=x id=xss onerror='document.title=1'>\" AS ?x) }"
    browser.execute_script("arguments[0].value = arguments[1]", editor, literal)
    browser.find_element(By.ID, "run-sparql").click()
    wait_for(browser, lambda d: d.find_elements(By.ID, "result-table"))
    assert table(browser)[1] == [["<img src=x id=xss onerror='document.title=1'>"]]
    assert browser.execute_script("return document.getElementById('xss')") is None  # text, not markup


def test_an_invalid_query_shows_the_endpoint_message_in_place(browser, site, shots):
    from selenium.webdriver.common.by import By

    open_page(browser, site)
    editor = browser.find_element(By.ID, "query")
    browser.execute_script("arguments[0].value = arguments[1]", editor, "SELECT ?s WHERE { ?s ?p }")
    browser.find_element(By.ID, "run-sparql").click()
    error = wait_for(
        browser,
        lambda d: d.find_element(By.ID, "error") if d.find_element(By.ID, "error").is_displayed() else None,
    )
    assert error.text.startswith("400 Bad Request")
    assert "SPARQL syntax error" in error.text
    assert browser.current_url.startswith(site)  # the page stays; no raw answer replaces it
    print(shot(browser, shots, "invalid-query"))

    browser.execute_script(
        "arguments[0].value = arguments[1]", editor, "INSERT DATA { <urn:a> <urn:b> <urn:c> }"
    )
    browser.find_element(By.ID, "run-sparql").click()
    wait_for(browser, lambda d: "403" in d.find_element(By.ID, "error").text)
    assert "read-only" in browser.find_element(By.ID, "error").text


def _warfarin_conflicts() -> set[str]:
    """The labels of the conflicts and doubts of kb/conflicts.tsv about claims on warfarin."""
    with open(KB / "conflicts.tsv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    return {
        row["label"]
        for row in rows
        if any("warfarin" in claim.strip().split("--")[::2] for claim in row["concerns"].split("|"))
    }


def test_an_entity_page_shows_its_claims(browser, site, shots):
    from selenium.webdriver.common.by import By

    open_page(browser, site + "entity/warfarin")
    assert browser.find_element(By.ID, "label").text == "warfarin"
    assert "anticoagulant" in browser.find_element(By.ID, "definition").text
    categories = browser.find_element(By.ID, "categories").text
    assert {"drug", "treatment", "exposure"} <= set(categories.replace("inferred:", "").split())
    columns, rows = golden("evidence-entity=warfarin")
    shown = [columns.index(c) for c in ("subjectLabel", "objectLabel", "identifier")]
    want = {tuple(row[i] for i in shown) for row in rows}
    claims = browser.find_elements(By.CSS_SELECTOR, "article.claim")
    got = set()
    for claim in claims:
        triple = claim.find_element(By.CSS_SELECTOR, ".triple").text.split(" → ")
        for footer in claim.find_elements(By.CSS_SELECTOR, "blockquote footer a"):
            got.add((triple[0], triple[2], footer.text))
        assert claim.find_element(By.CSS_SELECTOR, ".status").text
        assert claim.find_element(By.CSS_SELECTOR, ".sources").text.endswith(("source", "sources"))
    assert got == want
    shown = {
        note.text.split(": ", 1)[1].split("\n")[0]
        for note in browser.find_elements(By.CSS_SELECTOR, ".issue")
    }
    assert _warfarin_conflicts() <= shown
    mappings = {a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "#mappings a")}
    assert "http://purl.obolibrary.org/obo/CHEBI_10033" in mappings
    print(shot(browser, shots, "entity-warfarin"))

    browser.find_element(By.LINK_TEXT, "iatrogenic calcinosis").click()
    wait_for(browser, lambda d: d.find_element(By.ID, "label").text == "iatrogenic calcinosis")
    assert urlsplit(browser.current_url).path == "/ontology/IatrogenicCalcinosis"
    assert browser.find_elements(By.CSS_SELECTOR, "article.claim")


def test_an_unknown_entity_gets_a_clear_404_page(browser, site):
    from selenium.webdriver.common.by import By

    open_page(browser, site + "entity/no-such-thing")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Not found"
    assert "entity/no-such-thing" in browser.find_element(By.CSS_SELECTOR, "p.error").text


@pytest.mark.parametrize("page", ["?canned=causes", "entity/warfarin"])
def test_a_narrow_screen_shows_no_horizontal_overflow(browser, site, shots, page):
    from selenium.webdriver.common.by import By

    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": True},
    )
    try:
        open_page(browser, site + page)
        if page.startswith("?"):
            wait_for(browser, lambda d: d.find_elements(By.ID, "result-table"))
            box = browser.find_element(By.ID, "results")
            assert browser.execute_script("return arguments[0].scrollWidth > arguments[0].clientWidth", box)
        time.sleep(0.2)  # layout settles
        assert browser.execute_script("return window.innerWidth") == 390
        overflow = browser.execute_script(
            "return Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"
        )
        assert overflow <= 390, f"the page is {overflow} px wide on a 390 px screen"
        if page.startswith("?"):
            browser.execute_script("document.getElementById('answer').scrollIntoView()")
        print(shot(browser, shots, "narrow-" + ("query" if page.startswith("?") else "entity"), whole=False))
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
