// The query page of calcinosis-kg: a form per canned query, a SPARQL editor, answers as tables.
// Canned queries run at queries/NAME?param=value (the server binds the values); the editor's
// text is POSTed to sparql. Everything printed goes through textContent, never innerHTML.
"use strict";

(function () {
  const data = JSON.parse(document.getElementById("page-data").textContent);
  const BASE = "https://w3id.org/calcinosis-kg/";
  const PAGE_KINDS = ["entity", "ontology", "source", "claim", "evidence", "corroboration"];
  const ACCEPT = "application/sparql-results+json, text/turtle;q=0.5";
  const byName = new Map(data.queries.map((q) => [q.name, q]));
  const $ = (id) => document.getElementById(id);
  const select = $("canned");
  const editor = $("query");

  function element(tag, attributes, text) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attributes || {})) node.setAttribute(key, value);
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  // ---- IRIs: CURIEs and links ---------------------------------------------------------------
  const prefixes = Object.entries(data.prefixes).sort((a, b) => b[1].length - a[1].length);

  function curie(iri) {
    for (const [prefix, namespace] of prefixes) {
      if (iri.startsWith(namespace) && iri.length > namespace.length) {
        return prefix + ":" + iri.slice(namespace.length);
      }
    }
    return iri;
  }

  function pageOf(iri) {
    if (iri === BASE + "ontology") return "ontology";
    if (!iri.startsWith(BASE)) return null;
    const rest = iri.slice(BASE.length);
    const kind = rest.split("/", 1)[0];
    return PAGE_KINDS.includes(kind) && /^[^/]+\/[A-Za-z0-9][A-Za-z0-9._~-]*$/.test(rest) ? rest : null;
  }

  function iriNode(iri) {
    const local = pageOf(iri);
    if (local !== null) return element("a", { href: local }, curie(iri));
    if (/^https?:\/\//.test(iri)) {
      return element("a", { href: iri, class: "external", rel: "noopener noreferrer" }, curie(iri));
    }
    return element("span", { class: "iri" }, curie(iri));
  }

  // ---- the canned query form ----------------------------------------------------------------
  function showForm(name, values) {
    const spec = byName.get(name);
    const box = $("params");
    box.replaceChildren();
    $("canned-about").textContent = spec ? spec.description || spec.summary : "";
    if (!spec) return;
    for (const param of spec.params) {
      const id = "param-" + param.name;
      const field = element("div", { class: "field" });
      const label = element("label", { for: id }, param.name + (param.required ? " (required)" : ""));
      const input = element("input", { id: id, name: param.name, autocomplete: "off" });
      if (param.kind === "number") input.setAttribute("inputmode", "decimal");
      if (param.kind === "entity") input.setAttribute("list", "names");
      if (param.required) input.required = true;
      if (param.example !== undefined && param.example !== null) {
        input.placeholder = "e.g. " + param.example;
      }
      if (values && values.has(param.name)) input.value = values.get(param.name);
      field.append(label, input);
      if (param.description) field.append(element("small", {}, param.description));
      box.append(field);
    }
  }

  function cannedValues() {
    const values = new URLSearchParams();
    for (const input of $("params").querySelectorAll("input")) {
      if (input.value.trim()) values.append(input.name, input.value.trim());
    }
    return values;
  }

  async function runCanned() {
    const name = select.value;
    const values = cannedValues();
    const shared = new URLSearchParams([["canned", name], ...values]);
    history.replaceState(null, "", "?" + shared.toString());
    const query = values.toString();
    await show(fetch("queries/" + encodeURIComponent(name) + (query ? "?" + query : ""), {
      headers: { Accept: ACCEPT },
    }), name);
  }

  async function runSparql() {
    history.replaceState(null, "", "?" + new URLSearchParams([["query", editor.value]]).toString());
    await show(fetch("sparql", {
      method: "POST",
      headers: { Accept: ACCEPT, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams([["query", editor.value]]),
    }), "the query");
  }

  // ---- answers --------------------------------------------------------------------------------
  function clear() {
    $("status").textContent = "";
    $("error").hidden = true;
    $("error").replaceChildren();
    $("results").replaceChildren();
  }

  function fail(title, message) {
    const box = $("error");
    box.replaceChildren(element("strong", {}, title), element("pre", {}, message.trim()));
    box.hidden = false;
    $("status").textContent = "";
  }

  async function show(request, what) {
    clear();
    $("status").textContent = "Running " + what + "…";
    document.body.classList.add("busy");
    const started = performance.now();
    let response, text;
    try {
      response = await request;
      text = await response.text();
    } catch (error) {
      fail("The server could not be reached", String(error));
      return;
    } finally {
      document.body.classList.remove("busy");
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const answerBox = $("answer");
    if (answerBox.getBoundingClientRect().top > window.innerHeight * 0.6) {
      answerBox.scrollIntoView({ block: "start" });
    }
    if (!response.ok) {
      fail(response.status + " " + response.statusText, text || "(no message)");
      return;
    }
    const type = (response.headers.get("content-type") || "").split(";")[0].trim();
    if (type === "application/sparql-results+json") {
      const cut = response.headers.get("X-SPARQL-Truncated") === "true";
      renderResults(JSON.parse(text), seconds, cut, response.headers.get("X-SPARQL-Max-Rows"));
    } else {
      $("status").textContent = "Graph answer (" + type + "), " + seconds + " s";
      $("results").append(element("pre", { class: "graph" }, text));
    }
  }

  const LONG_TEXT = 80; // characters: such a cell gets a wider column, so its row stays short

  function renderResults(answer, seconds, cut, maxRows) {
    if (typeof answer.boolean === "boolean") {
      $("status").textContent = "Answer: " + answer.boolean + " (" + seconds + " s)";
      return;
    }
    const rows = answer.results.bindings;
    // a column empty in every row (an unset parameter, say) is left out, as in the terminal
    const filled = answer.head.vars.filter((c) => rows.some((r) => r[c] && r[c].value !== ""));
    const columns = rows.length ? filled : answer.head.vars;
    let status = rows.length + (rows.length === 1 ? " row" : " rows") + ", " + seconds + " s";
    if (cut) status += "; cut at " + maxRows + " rows (add LIMIT and OFFSET to page through)";
    $("status").textContent = status;
    const table = element("table", { id: "result-table" });
    const head = element("tr");
    for (const column of columns) head.append(element("th", { scope: "col" }, column));
    const thead = element("thead");
    thead.append(head);
    table.append(thead);
    const body = element("tbody");
    for (const row of rows) {
      const tr = element("tr");
      for (const column of columns) {
        const td = element("td", { class: "col-" + column });
        const cell = row[column];
        if (cell && cell.type === "uri") td.append(iriNode(cell.value));
        else if (cell && cell.type === "bnode") td.textContent = "_:" + cell.value;
        else if (cell) td.textContent = cell.value;
        if (cell && cell.type !== "uri" && cell.value.length > LONG_TEXT) td.classList.add("long");
        tr.append(td);
      }
      body.append(tr);
    }
    table.append(body);
    $("results").append(table);
  }

  // ---- suggestions for entity parameters ------------------------------------------------------
  async function loadNames() {
    try {
      const response = await fetch("names", { headers: { Accept: "application/sparql-results+json" } });
      if (!response.ok) return;
      const answer = await response.json();
      const seen = new Set();
      const options = [];
      for (const row of answer.results.bindings) {
        const name = row.name.value;
        if (seen.has(name.toLowerCase())) continue;
        seen.add(name.toLowerCase());
        const option = element("option", { value: name });
        option.label = row.kind.value === "synonym" ? name + " (synonym)" : name;
        options.push(option);
      }
      options.sort((a, b) => a.value.localeCompare(b.value));
      $("names").replaceChildren(...options);
    } catch (error) {
      // no suggestions: the fields still take any label, synonym, CURIE or IRI
    }
  }

  // ---- wiring ---------------------------------------------------------------------------------
  select.addEventListener("change", () => showForm(select.value));
  $("canned-form").addEventListener("submit", (event) => {
    event.preventDefault();
    runCanned();
  });
  $("sparql-form").addEventListener("submit", (event) => {
    event.preventDefault();
    runSparql();
  });
  editor.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      runSparql();
    }
  });
  $("show-canned").addEventListener("click", async () => {
    const response = await fetch("queries/" + encodeURIComponent(select.value) + ".rq");
    if (response.ok) {
      editor.value = await response.text();
      editor.focus();
    } else {
      fail(response.status + " " + response.statusText, await response.text());
    }
  });

  const shared = new URLSearchParams(location.search);
  loadNames();
  if (shared.has("canned") && byName.has(shared.get("canned"))) {
    select.value = shared.get("canned");
    const values = new URLSearchParams(shared);
    values.delete("canned");
    showForm(select.value, values);
    const missing = byName.get(select.value).params.some((p) => p.required && !values.get(p.name));
    if (!missing) runCanned();
  } else {
    showForm(select.value);
    if (shared.has("query")) {
      editor.value = shared.get("query");
      runSparql();
    }
  }
})();
