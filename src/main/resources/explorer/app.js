// Ferry explorer: a hash-routed page over the REST API. Every view's state is in the URL, so any
// view (filters, search, sort, page size) can be bookmarked.
"use strict";
const main = document.getElementById("main");

function esc(s) {
  return String(s).replace(/[&<>"']/g, c => ({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c]));
}

// Under --token the page signs in once (POST /api/session with the bearer header) and the server
// answers with an HttpOnly session cookie: the token is never stored by the page, and plain links
// (CSV/NDJSON downloads, OpenAPI, metrics) work. The cookie only ever authorizes reading.
class SignInNeeded extends Error {}

async function api(path) {
  const r = await fetch(path, {credentials: "same-origin"});
  if (r.status === 401) throw new SignInNeeded("This explorer needs its bearer token (ferry serve --token).");
  // numbers JavaScript cannot hold exactly (big ids inside jsonb) keep their text
  const text = await r.text();
  const body = JSON.parse(text, (k, v, ctx) =>
    typeof v === "number" && ctx && ctx.source && !Number.isSafeInteger(v) && /^-?\d+$/.test(ctx.source)
      ? {__exact: ctx.source} : v);
  if (!r.ok) throw new Error(body.error || r.statusText);
  return body;
}

function signInForm(message) {
  main.innerHTML = `<h2>Sign in</h2><p>${esc(message)}</p>
    <form id="sign-in"><input id="token" type="password" autocomplete="current-password" placeholder="token" size="40">
    <button id="sign-in-button">Sign in</button></form><p class="error" id="sign-in-error" hidden></p>`;
  document.getElementById("sign-in").onsubmit = async e => {
    e.preventDefault();
    const token = document.getElementById("token").value;
    const r = await fetch("/api/session", {method: "POST", headers: {"Authorization": "Bearer " + token}, credentials: "same-origin"});
    if (r.ok) { await sessionState(); route(); return; }
    const err = document.getElementById("sign-in-error");
    err.hidden = false; err.textContent = "That token was refused.";
  };
}

async function sessionState() {
  const r = await fetch("/api/session", {credentials: "same-origin"});
  const s = r.ok ? await r.json() : {};
  document.getElementById("logout").hidden = !(s.token_required && s.signed_in);
}

async function logout() {
  await fetch("/api/session", {method: "DELETE", credentials: "same-origin"});
  sessionStorage.removeItem("ferry-pages");
  await sessionState();
  signInForm("Signed out.");
}

// A value as text: JSON for objects (with big integers exact), never the page's internal marker.
function shown(v) {
  return v === null || v === undefined ? "" : typeof v === "object" ? exactJson(v) : String(v);
}

// The pages seen of each view (a table with its filters, sort, search and size): the cursors from
// the first page on, so Previous is the page before this one in this view, whatever Back, Forward
// or another table did meanwhile. Kept per tab.
function trails() {
  try { return JSON.parse(sessionStorage.getItem("ferry-pages")) || {}; } catch (e) { return {}; }
}

function saveTrail(view, trail) {
  const all = trails(); all[view] = trail;
  sessionStorage.setItem("ferry-pages", JSON.stringify(all));
}

function parseHash() {
  const h = location.hash.slice(1) || "/";
  const q = h.indexOf("?");
  const path = (q < 0 ? h : h.slice(0, q)).split("/").filter(Boolean).map(decodeURIComponent);
  const params = new URLSearchParams(q < 0 ? "" : h.slice(q + 1));
  return {path, params};
}

function go(path, params) {
  const qs = params && params.toString();
  location.hash = "#/" + path.map(encodeURIComponent).join("/") + (qs ? "?" + qs : "");
}

function countLabel(source) {
  return source === "migration" ? "at migration" : source;
}

function badge(verdict) {
  if (!verdict) return "";
  const cls = verdict.startsWith("VERIFIED") ? "ok" : verdict === "MISMATCH" || verdict === "FAILED" ? "bad" : "warn";
  return `<span class="badge ${cls}">${esc(verdict)}</span>`;
}

async function route() {
  const {path, params} = parseHash();
  try {
    if (path.length === 0) await tables();
    else if (path[0] === "t") await grid(path[1], path[2], params);
    else if (path[0] === "r") await detail(path[1], path[2], params);
    else if (path[0] === "sql") await sqlConsole(params);
    else if (path[0] === "q") await (path.length > 1 ? queryPage(path[1], params) : queryList());
    else if (path[0] === "runs" && path.length === 1) await runs();
    else if (path[0] === "runs" && path[2] === "fixups") await evidence(path[1], "fixups");
    else if (path[0] === "runs" && path[2] === "rejects") await evidence(path[1], "rejects");
    else if (path[0] === "runs") await run(path[1]);
    else main.innerHTML = `<p class="error">No such page.</p>`;
  } catch (e) {
    if (e instanceof SignInNeeded) signInForm(e.message);
    else main.innerHTML = `<p class="error" id="error">${esc(e.message)}</p>`;
  }
}

// The tab's title says where you are, so many open tabs stay apart.
function title(where) {
  document.title = where ? `${where} · Ferry` : "Ferry explorer";
}

// A row's page, as a real link (opens in a new tab, reachable by keyboard).
function rowHref(schema, table, key) {
  return `#/r/${encodeURIComponent(schema)}/${encodeURIComponent(table)}?${new URLSearchParams(key)}`;
}

async function tables() {
  title("Tables");
  const {tables} = await api("/api/tables");
  const rows = tables.map(t => {
    const count = t.rows.count == null ? "?" : t.rows.count.toLocaleString();
    const label = countLabel(t.rows.source);
    return `<tr><td><a class="table-link" data-table="${esc(t.schema + "." + t.name)}" href="#/t/${encodeURIComponent(t.schema)}/${encodeURIComponent(t.name)}">${esc(t.schema)}.${esc(t.name)}</a></td>
      <td>${esc(t.kind)}</td><td>${count} <span class="muted">${esc(label)}</span></td><td>${badge(t.verdict)}</td>
      <td class="muted">${t.columns.length} columns</td></tr>`;
  }).join("");
  main.innerHTML = `<h2>Tables</h2><table id="tables"><tr><th>table</th><th>kind</th><th>rows</th><th>verification</th><th></th></tr>${rows}</table>`;
}

const OPS = ["eq", "neq", "gt", "gte", "lt", "lte", "ilike", "like", "in", "is", "cs"];

// The view's own state in the URL that is not a filter: the facets shown.
const VIEW_ONLY = ["_facet", "_hist"];

function apiParams(params) {
  const p = new URLSearchParams(params); VIEW_ONLY.forEach(k => p.delete(k)); return p;
}

function filterText(filters) {
  return filters.map(([k, v]) => `${k} ${v.replace(/^(not\.)?([a-z]+)\./, (m, n, op) => (n ? "not " : "") + op + " ")}`).join(" and ");
}

async function grid(schema, table, params) {
  const meta = await api(`/api/tables/${encodeURIComponent(schema)}/${encodeURIComponent(table)}`);
  if (!params.has("limit")) params.set("limit", "50");
  let page = null, problem = null;
  try {
    page = await api(`/api/tables/${encodeURIComponent(schema)}/${encodeURIComponent(table)}/rows?${apiParams(params)}`);
  } catch (e) {
    if (e instanceof SignInNeeded) throw e;
    problem = e.message; // shown next to the filters, which stay removable
  }
  const order = params.get("order") || "";
  const cols = meta.columns;
  const view = (() => { const p = new URLSearchParams(params); p.delete("after"); return `${schema}/${table}?${p}`; })();
  const after = params.get("after") || "";
  let trail = trails()[view] || [""];
  let at = trail.indexOf(after);
  if (at < 0 && after === "") { trail = [""]; at = 0; }
  const filters = [];
  for (const [k, v] of params) {
    if (!["limit", "order", "after", "q"].concat(VIEW_ONLY).includes(k)) filters.push([k, v]);
  }
  title(`${schema}.${table}${filters.length ? " where " + filterText(filters) : ""}${params.get("q") ? " matching " + params.get("q") : ""}`);
  const chips = filters.map(([k, v], i) => `<span class="filter" data-filter="${esc(k)}">${esc(k)} ${esc(v)} <button data-remove="${i}" title="remove">✕</button></span>`).join("");
  main.innerHTML = `
    <h2>${esc(schema)}.${esc(table)} ${badge(meta.verdict)} <span class="muted">${meta.rows.count == null ? "" : meta.rows.count.toLocaleString() + " rows (" + esc(countLabel(meta.rows.source)) + ")"}</span></h2>
    <div class="toolbar">
      <input id="search" type="search" placeholder="Search text…" value="${esc(params.get("q") || "")}" size="28">
      <select id="f-col">${cols.map(c => `<option>${esc(c.name)}</option>`).join("")}</select>
      <select id="f-op">${OPS.map(o => `<option>${o}</option>`).join("")}</select>
      <input id="f-val" placeholder="value (JSON field: pick a jsonb column, write key=value)" size="24">
      <button id="f-add">Add filter</button>
      <select id="page-size">${[10, 25, 50, 100, 250].map(n => `<option ${String(n) === params.get("limit") ? "selected" : ""}>${n}</option>`).join("")}</select>
      <button id="prev" ${at > 0 ? "" : "disabled"}>◀ Previous</button>
      <button id="next" ${page && page.next ? "" : "disabled"}>Next ▶</button>
      <a id="export" href="${esc(exportHref(schema, table, "csv", params))}">CSV</a>
      <a id="export-ndjson" href="${esc(exportHref(schema, table, "ndjson", params))}">NDJSON</a>
      <span class="muted" id="timing">${page ? `${page.rows.length} rows · ${page.ms} ms · ${page.paging}` : ""}</span>
    </div>
    <div class="toolbar" id="filters">${chips}${problem ? `<span class="error" id="filter-error">${esc(problem)}</span>` : ""}</div>
    <p id="count-line" class="muted"></p>
    <div class="toolbar"><label>Facet by <select id="facet-col"><option value="">…</option>${cols.map(c => `<option>${esc(c.name)}</option>`).join("")}</select></label>
      <input id="facet-path" placeholder="or a JSON path: metadata->>lang" size="24"><button id="facet-add">Show facet</button></div>
    <div id="facets" class="facets"></div>
    ${page ? gridTable(meta, page, order, schema, table) : ""}`;
  if (page && !params.get("q")) countLine(schema, table, params, filters);
  facetPanel(schema, table, params);
  if (typeof ferryWrite !== "undefined") ferryWrite.grid(schema, table, meta, params, filters);
  if (typeof ferryPictures !== "undefined") ferryPictures.grid(schema, table, meta, params);

  const base = () => { const p = new URLSearchParams(params); p.delete("after"); return p; };
  let timer;
  document.getElementById("search").addEventListener("input", e => {
    clearTimeout(timer);
    timer = setTimeout(() => { const p = base(); e.target.value ? p.set("q", e.target.value) : p.delete("q"); go(["t", schema, table], p); }, 350);
  });
  document.getElementById("f-add").onclick = () => {
    const col = document.getElementById("f-col").value, op = document.getElementById("f-op").value;
    let val = document.getElementById("f-val").value, name = col;
    const jsonCol = cols.find(c => c.name === col && c.type.startsWith("json"));
    if (jsonCol && op !== "cs" && val.includes("=")) { name = col + "->>" + val.slice(0, val.indexOf("=")); val = val.slice(val.indexOf("=") + 1); }
    const p = base(); p.append(name, op + "." + val); go(["t", schema, table], p);
  };
  document.querySelectorAll("[data-remove]").forEach(b => b.onclick = () => {
    const p = base(); const [k, v] = filters[Number(b.dataset.remove)];
    const rest = p.getAll(k).filter(x => x !== v); p.delete(k); rest.forEach(x => p.append(k, x));
    go(["t", schema, table], p);
  });
  document.getElementById("page-size").onchange = e => { const p = base(); p.set("limit", e.target.value); go(["t", schema, table], p); };
  document.getElementById("next").onclick = () => {
    const t = at < 0 ? [] : trail.slice(0, at + 1);
    if (at >= 0) saveTrail(view, t.concat([page.next]));
    const p = base(); p.set("after", page.next); go(["t", schema, table], p);
  };
  document.getElementById("prev").onclick = () => {
    const a = trail[at - 1]; const p = base(); if (a) p.set("after", a); go(["t", schema, table], p);
  };
  document.querySelectorAll("th[data-col]").forEach(th => th.onclick = () => {
    const c = th.dataset.col, p = base(); p.set("order", order === c ? c + ".desc" : c); go(["t", schema, table], p);
  });
  document.querySelectorAll("tr.row").forEach(tr => tr.onclick = e => {
    if (!meta.primary_key.length || e.target.closest("a")) return;
    location.hash = `#/r/${encodeURIComponent(schema)}/${encodeURIComponent(table)}?${tr.dataset.key}`;
  });
  const addFacet = name => {
    if (!name) return;
    const p = base(); if (!p.getAll("_facet").includes(name)) p.append("_facet", name); go(["t", schema, table], p);
  };
  document.getElementById("facet-add").onclick = () => addFacet(document.getElementById("facet-path").value.trim() || document.getElementById("facet-col").value);
  document.getElementById("facet-col").onchange = e => addFacet(e.target.value);
}

// "16,423 rows where …": exact up to the server's bound, an estimate beyond it, and says which.
async function countLine(schema, table, params, filters) {
  const el = document.getElementById("count-line");
  try {
    const n = await api(`/api/tables/${encodeURIComponent(schema)}/${encodeURIComponent(table)}/count?${apiParams(params)}`);
    el.textContent = `${n.exact ? "" : "about "}${n.count.toLocaleString()} rows${filters.length ? " where " + filterText(filters) : ""}${n.exact ? "" : " (estimated: more than " + n.exact_up_to.toLocaleString() + ")"}`;
    el.dataset.count = n.count; el.dataset.exact = n.exact;
  } catch (e) { el.textContent = ""; }
}

// Facets: the chosen ones (_facet in the URL), else the suggested low-cardinality columns; bars
// whose values are links that add the filter.
async function facetPanel(schema, table, params) {
  const el = document.getElementById("facets");
  const base = `/api/tables/${encodeURIComponent(schema)}/${encodeURIComponent(table)}`;
  let names = params.getAll("_facet"), suggested = false;
  if (!names.length) {
    try { names = (await api(`${base}/facets/suggested`)).columns.slice(0, 4); suggested = true; } catch (e) { names = []; }
  }
  const filters = apiParams(params); ["limit", "order", "after", "q"].forEach(k => filters.delete(k));
  const boxes = await Promise.all(names.map(async name => {
    try {
      const f = await api(`${base}/facets?column=${encodeURIComponent(name)}&${filters}`);
      const max = Math.max(1, ...f.values.map(v => v.count));
      const bars = f.values.map(v => {
        const p = new URLSearchParams(params); p.delete("after");
        p.append(name, v.value === null ? "is.null" : "eq." + v.value);
        const href = "#/t/" + [schema, table].map(encodeURIComponent).join("/") + "?" + p;
        return `<li><a class="facet-value" href="${esc(href)}" data-value="${esc(v.value === null ? "" : v.value)}">${v.value === null ? '<span class="muted">null</span>' : esc(v.value.slice(0, 60))}</a>
          <span class="bar" data-width="${Math.max(2, Math.round(100 * v.count / max))}"></span> <span class="muted">${v.count.toLocaleString()}</span></li>`;
      }).join("");
      const close = suggested ? "" : `<button class="facet-close" data-facet="${esc(name)}" title="hide">✕</button>`;
      return `<div class="facet" data-facet="${esc(name)}"><h4>${esc(name)}${f.estimated ? ' <span class="muted">(estimated)</span>' : ""} ${close}</h4><ul>${bars}</ul>${f.more ? '<span class="muted">more values…</span>' : ""}</div>`;
    } catch (e) {
      if (e instanceof SignInNeeded) throw e;
      return `<div class="facet error" data-facet="${esc(name)}">${esc(name)}: ${esc(e.message)}</div>`;
    }
  }));
  el.innerHTML = boxes.join("");
  // widths set through the DOM, not a style attribute: the page's Content-Security-Policy allows no inline styles
  el.querySelectorAll(".bar[data-width]").forEach(b => { b.style.width = b.dataset.width + "px"; });
  el.querySelectorAll(".facet-close").forEach(b => b.onclick = () => {
    const p = new URLSearchParams(params); const rest = p.getAll("_facet").filter(x => x !== b.dataset.facet);
    p.delete("_facet"); rest.forEach(x => p.append("_facet", x)); p.delete("after"); go(["t", schema, table], p);
  });
}

function gridTable(meta, page, order, schema, table) {
  // a single-column foreign key makes its cells links to the row they reference
  const links = {};
  (meta.foreign_keys || []).filter(fk => fk.columns.length === 1).forEach(fk => { links[fk.columns[0]] = fk; });
  const head = meta.columns.map(c => {
    const arrow = order === c.name ? " ▲" : order === c.name + ".desc" ? " ▼" : "";
    return `<th data-col="${esc(c.name)}" title="${esc(c.type)}">${esc(c.name)}${arrow}</th>`;
  }).join("");
  const body = page.rows.map(r => {
    const key = meta.primary_key.map(k => `${encodeURIComponent(k)}=${encodeURIComponent(shown(r[k]))}`).join("&");
    return `<tr class="row" data-key="${esc(key)}">${meta.columns.map((c, i) => {
      const v = r[c.name], s = shown(v);
      let cell = v === null ? '<span class="muted">null</span>' : esc(s.slice(0, 200));
      const fk = links[c.name];
      if (v !== null && fk) {
        const [rs, rt] = fk.references.split(".");
        cell = `<a class="fk" href="${esc(rowHref(rs, rt, {[fk.ref_columns[0]]: s}))}" title="${esc(fk.references)}">${cell}</a>`;
      } else if (i === 0 && meta.primary_key.length) {
        cell = `<a class="row-link" href="#/r/${encodeURIComponent(schema)}/${encodeURIComponent(table)}?${esc(key)}">${v === null ? "null" : cell}</a>`;
      }
      return `<td title="${esc(s.slice(0, 500))}">${cell}</td>`;
    }).join("")}</tr>`;
  }).join("");
  return `<table id="grid"><tr>${head}</tr>${body}</table>`;
}

// JSON text of a value whose big integers were kept as {__exact: "digits"}.
function exactJson(v) {
  return JSON.stringify(v, (k, x) => x && x.__exact ? "\u0000" + x.__exact + "\u0000" : x)
    .replace(/"\\u0000(-?\d+)\\u0000"/g, "$1");
}

function exportHref(schema, table, format, params) {
  const p = apiParams(params); p.delete("after"); p.delete("q"); p.delete("limit"); p.set("format", format);
  return `/api/tables/${encodeURIComponent(schema)}/${encodeURIComponent(table)}/export?${p}`;
}

// Pretty, collapsible JSON; clicking a key of a top-level jsonb column's object adds a filter.
function jsonView(v, column, path) {
  if (v === null) return `<span class="json-lit">null</span>`;
  if (typeof v === "string") return `<span class="json-str">"${esc(v)}"</span>`;
  if (typeof v === "number") return `<span class="json-num">${v}</span>`;
  if (v.__exact) return `<span class="json-num">${esc(v.__exact)}</span>`;
  if (typeof v === "boolean") return `<span class="json-lit">${v}</span>`;
  const entries = Array.isArray(v) ? v.map((x, i) => [i, x]) : Object.entries(v);
  const open = Array.isArray(v) ? "[" : "{", close = Array.isArray(v) ? "]" : "}";
  const inner = entries.map(([k, x]) => {
    const p = path.concat([k]);
    const scalar = x === null || typeof x !== "object";
    const key = Array.isArray(v) ? `<span class="muted">${k}</span>` :
      `<span class="json-key" data-column="${esc(column)}" data-path="${esc(JSON.stringify(p))}" data-value="${esc(scalar ? String(x) : "")}" data-scalar="${scalar}">"${esc(k)}"</span>`;
    return `<div>${key}: ${jsonView(x, column, p)}</div>`;
  }).join("");
  return `<details open><summary>${open} <span class="muted">${entries.length}</span></summary>${inner}</details>${close}`;
}

async function detail(schema, table, params) {
  const d = await api(`/api/tables/${encodeURIComponent(schema)}/${encodeURIComponent(table)}/row?${params}`);
  const meta = await api(`/api/tables/${encodeURIComponent(schema)}/${encodeURIComponent(table)}`);
  const fields = meta.columns.map(c => {
    const v = d.row[c.name];
    const shown = v !== null && typeof v === "object" ? `<div class="json">${jsonView(v, c.name, [])}</div>` : v === null ? '<span class="muted">null</span>' : esc(v);
    return `<dt title="${esc(c.type)}">${esc(c.name)}</dt><dd>${shown}</dd>`;
  }).join("");
  const refs = d.references.map(r => {
    const [s, t] = r.table.split(".");
    const name = r.label != null ? r.label : Object.values(r.key).join(", ");
    const target = r.row ? `<a class="ref-link" href="${esc(rowHref(s, t, r.key))}">${esc(name)}</a>` : `${esc(Object.values(r.key).join(", "))} <em>missing (orphan)</em>`;
    return `<li>${esc(r.columns.join(", "))} → ${esc(r.table)}: ${target}${r.label_column && r.row ? ` <span class="muted">(${esc(r.label_column)})</span>` : ""}</li>`;
  }).join("");
  const back = d.referenced_by.map(r => {
    const [s, t] = r.table.split(".");
    const p = new URLSearchParams(r.filter);
    return `<li>${esc(r.table)}.${esc(r.columns.join(", "))}: <a class="referenced-by" href="#/t/${encodeURIComponent(s)}/${encodeURIComponent(t)}?${p}">${r.count.toLocaleString()}${r.capped ? "+" : ""} rows</a></li>`;
  }).join("");
  title(`${table} ${[...params.values()].join(", ")}`);
  main.innerHTML = `<h2 id="detail-title">${esc(schema)}.${esc(table)} <span class="muted">${esc(params.toString())}</span></h2>
    <p><a href="#/t/${encodeURIComponent(schema)}/${encodeURIComponent(table)}">← all rows</a></p>
    <dl class="kv" id="detail">${fields}</dl>
    ${refs ? `<h3>References</h3><ul>${refs}</ul>` : ""}${back ? `<h3>Referenced by</h3><ul>${back}</ul>` : ""}`;
  if (typeof ferryWrite !== "undefined") ferryWrite.row(schema, table, meta, d.row);
  document.querySelectorAll(".json-key").forEach(k => k.onclick = () => {
    const p = JSON.parse(k.dataset.path);
    if (k.dataset.scalar !== "true" || p.length !== 1) {
      alert("Filters work on a top-level key with a plain value"); return;
    }
    const q = new URLSearchParams(); q.set(`${k.dataset.column}->>${p[0]}`, "eq." + k.dataset.value);
    go(["t", schema, table], q);
  });
}

// The read-only SQL console: the query and its :name parameters live in the URL, so a query is a
// link; results in a grid, with CSV and NDJSON downloads of the same query.
async function sqlConsole(params) {
  const sql = params.get("sql") || "";
  title(sql ? "SQL: " + sql.slice(0, 60) : "SQL");
  const names = [...new Set([...sql.replace(/'[^']*'|::/g, "").matchAll(/:([A-Za-z_][A-Za-z0-9_]*)/g)].map(m => m[1]))];
  const inputs = names.map(n => `<label>:${esc(n)} <input class="sql-param" data-name="${esc(n)}" value="${esc(params.get(n) || "")}"></label>`).join(" ");
  main.innerHTML = `<h2>SQL <span class="muted">read-only</span></h2>
    <textarea id="sql" rows="6" cols="100" spellcheck="false" placeholder="SELECT … (one query; :name for a parameter)">${esc(sql)}</textarea>
    <div class="toolbar">${inputs}<button id="sql-run">Run</button>
      ${sql ? `<a id="sql-csv" href="${esc(sqlHref(params, "csv"))}">CSV</a> <a id="sql-ndjson" href="${esc(sqlHref(params, "ndjson"))}">NDJSON</a>` : ""}
      <span class="muted" id="sql-timing"></span></div>
    <div id="sql-result"></div>`;
  const run = () => {
    const p = new URLSearchParams(); p.set("sql", document.getElementById("sql").value);
    document.querySelectorAll(".sql-param").forEach(i => p.set(i.dataset.name, i.value));
    go(["sql"], p);
  };
  document.getElementById("sql-run").onclick = run;
  document.getElementById("sql").onkeydown = e => { if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) run(); };
  if (!sql) return;
  const missing = names.filter(n => !params.has(n));
  if (missing.length) { document.getElementById("sql-result").innerHTML = `<p class="muted">Give :${missing.map(esc).join(", :")} and run.</p>`; return; }
  try {
    const r = await api(sqlHref(params, "json"));
    document.getElementById("sql-timing").textContent = `${r.rows.length} rows${r.truncated ? " (first " + r.max_rows + " only)" : ""} · ${r.ms} ms`;
    document.getElementById("sql-result").innerHTML = `<table id="sql-grid"><tr>${r.columns.map(c => `<th title="${esc(c.type)}">${esc(c.name)}</th>`).join("")}</tr>${r.rows.map(row =>
      `<tr>${row.map(v => `<td title="${esc(shown(v).slice(0, 500))}">${v === null ? '<span class="muted">null</span>' : esc(shown(v).slice(0, 200))}</td>`).join("")}</tr>`).join("")}</table>`;
  } catch (e) {
    if (e instanceof SignInNeeded) throw e;
    document.getElementById("sql-result").innerHTML = `<p class="error" id="sql-error">${esc(e.message)}</p>`;
  }
}

function sqlHref(params, format) {
  const p = new URLSearchParams(params); if (format !== "json") p.set("format", format);
  return `/api/sql?${p}`;
}

async function runs() {
  title("Runs");
  const {runs} = await api("/api/runs");
  main.innerHTML = `<h2>Runs</h2><table id="runs"><tr><th>run</th><th>source</th><th>schema</th><th>state</th><th>started</th><th>exit</th></tr>${runs.map(r =>
    `<tr><td><a href="#/runs/${esc(r.run_id)}">${esc(r.run_id.slice(0, 8))}</a></td><td>${esc(r.source)}</td><td>${esc(r.target_schema)}</td><td>${badge(r.state === "succeeded" ? "VERIFIED" : r.state.toUpperCase())}</td><td>${esc(r.started_at)}</td><td>${r.exit_code ?? ""}</td></tr>`).join("")}</table>`;
  if (typeof ferryPictures !== "undefined") await ferryPictures.syncs();
}

async function run(id) {
  title(`Run ${id.slice(0, 8)}`);
  const data = await api(`/api/runs/${encodeURIComponent(id)}`), {tables} = data;
  main.innerHTML = `<h2>Run ${esc(id)}</h2><p><a href="#/runs/${esc(id)}/fixups">Fixed values</a> · <a href="#/runs/${esc(id)}/rejects">Set-aside rows</a></p>
    <table id="run-tables"><tr><th>table</th><th>rows read</th><th>written</th><th>in target</th><th>fixed</th><th>set aside</th><th>MB</th><th>seconds</th><th>rows/s</th><th>verdict</th></tr>${tables.map(t =>
    `<tr><td>${esc(t.target_table)}</td><td>${t.rows_read}</td><td>${t.rows_written}</td><td>${t.rows_in_target ?? ""}</td><td>${t.rows_fixed}</td><td>${t.rows_set_aside}</td><td>${(t.bytes / 1e6).toFixed(1)}</td><td>${Number(t.seconds).toFixed(2)}</td><td>${t.seconds > 0 ? Math.round(t.rows_read / t.seconds).toLocaleString() : ""}</td><td>${badge(t.verdict)}</td></tr>`).join("")}</table>`;
  if (typeof ferryPictures !== "undefined") ferryPictures.run(data);
}

async function evidence(id, which) {
  const data = await api(`/api/runs/${encodeURIComponent(id)}/${which}`);
  const rows = data[which];
  const cols = rows.length ? Object.keys(rows[0]) : [];
  main.innerHTML = `<h2>${which === "fixups" ? "Fixed values" : "Set-aside rows"} of run ${esc(id.slice(0, 8))}</h2>
    <table id="evidence"><tr>${cols.map(c => `<th>${esc(c)}</th>`).join("")}</tr>${rows.map(r => `<tr>${cols.map(c => `<td title="${esc(shown(r[c]).slice(0, 500))}">${esc(shown(r[c]))}</td>`).join("")}</tr>`).join("")}</table>
    ${rows.length ? "" : '<p class="muted">None.</p>'}`;
}

window.addEventListener("hashchange", route);
document.getElementById("logout").onclick = e => { e.preventDefault(); logout(); };
sessionState().then(route, route);
