// Named queries (ferry.yaml queries:): a list, and a page per query with a form for its
// parameters; the parameters live in the URL, so a filled-in query is a link. Results in a grid
// with CSV and NDJSON downloads. Uses app.js's api, esc, main, go, title and shown.
"use strict";

async function queryList() {
  title("Queries");
  const {queries} = await api("/api/queries");
  main.innerHTML = `<h2>Queries</h2>${queries.length ? `<table id="queries"><tr><th>query</th><th>parameters</th><th></th></tr>${queries.map(q =>
    `<tr><td><a class="query-link" href="#/q/${encodeURIComponent(q.name)}">${esc(q.title)}</a></td>
      <td>${q.params.map(p => `<code>${esc(p.name)}</code> <span class="muted">${esc(p.type)}</span>`).join(", ")}</td>
      <td class="muted">${esc(q.description || "")}</td></tr>`).join("")}</table>`
    : '<p class="muted">No saved queries: add them to ferry.yaml (<code>queries:</code>) and start <code>ferry serve --config ferry.yaml</code>.</p>'}`;
}

async function queryPage(name, params) {
  const {queries} = await api("/api/queries");
  const q = queries.find(x => x.name === name);
  if (!q) { main.innerHTML = `<p class="error" id="error">No query ${esc(name)}.</p>`; return; }
  title(q.title + ([...params.values()].length ? " (" + [...params].map(([k, v]) => `${k}=${v}`).join(", ") + ")" : ""));
  const field = p => {
    const value = params.has(p.name) ? params.get(p.name) : "";
    const kind = p.type === "date" ? "date" : ["integer", "bigint", "numeric", "double precision"].includes(p.type) ? "number" : "text";
    const input = p.type === "boolean"
      ? `<select class="query-param" data-name="${esc(p.name)}"><option value="">${p.default == null ? "" : "default (" + esc(p.default) + ")"}</option>${["true", "false"].map(b => `<option ${value === b ? "selected" : ""}>${b}</option>`).join("")}</select>`
      : `<input class="query-param" data-name="${esc(p.name)}" type="${kind}" ${kind === "number" ? 'step="any"' : ""} value="${esc(value)}" placeholder="${esc(p.default == null ? "required" : p.default)}">`;
    return `<label title="${esc(p.type)}">${esc(p.name)} ${input} <span class="muted">${esc(p.description || p.type)}</span></label>`;
  };
  const missing = q.params.filter(p => p.required && !params.get(p.name));
  main.innerHTML = `<h2 id="query-title">${esc(q.title)} <span class="muted">saved query</span></h2>
    ${q.description ? `<p>${esc(q.description)}</p>` : ""}
    <details><summary class="muted">SQL</summary><pre class="json" id="query-sql">${esc(q.sql)}</pre></details>
    <form id="query-form" class="toolbar">${q.params.map(field).join(" ")}<button id="query-run">Run</button>
      <a id="query-csv" href="${esc(queryHref(name, params, "csv"))}">CSV</a> <a id="query-ndjson" href="${esc(queryHref(name, params, "ndjson"))}">NDJSON</a>
      <span class="muted" id="query-timing"></span></form>
    <div id="query-result"></div>`;
  document.getElementById("query-form").onsubmit = e => {
    e.preventDefault();
    const p = new URLSearchParams();
    document.querySelectorAll(".query-param").forEach(i => { if (i.value !== "") p.set(i.dataset.name, i.value); });
    const before = location.hash;
    go(["q", name], p);
    if (location.hash === before) route(); // the same parameters: run again
  };
  const result = document.getElementById("query-result");
  if (missing.length) { result.innerHTML = `<p class="muted">Give ${missing.map(p => esc(p.name)).join(", ")} and run.</p>`; return; }
  try {
    const r = await api(queryHref(name, params, "json"));
    document.getElementById("query-timing").textContent = `${r.rows.length} rows${r.truncated ? " (first " + r.max_rows + " only)" : ""} · ${r.ms} ms`;
    result.innerHTML = `<table id="query-grid"><tr>${r.columns.map(c => `<th title="${esc(c.type)}">${esc(c.name)}</th>`).join("")}</tr>${r.rows.map(row =>
      `<tr>${row.map(v => `<td title="${esc(shown(v).slice(0, 500))}">${v === null ? '<span class="muted">null</span>' : esc(shown(v).slice(0, 200))}</td>`).join("")}</tr>`).join("")}</table>`;
  } catch (e) {
    if (e instanceof SignInNeeded) throw e;
    result.innerHTML = `<p class="error" id="query-error">${esc(e.message)}</p>`;
  }
}

// The API URL of a query with the page's parameters.
function queryHref(name, params, format) {
  const p = new URLSearchParams(params);
  if (format !== "json") p.set("format", format);
  const qs = p.toString();
  return `/api/queries/${encodeURIComponent(name)}${qs ? "?" + qs : ""}`;
}
