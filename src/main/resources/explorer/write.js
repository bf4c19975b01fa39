// Ferry explorer, write mode (ferry serve --write --token): shown only when GET /api/write says the
// server writes. On a filtered grid, "Update these rows…" and "Delete these rows…" first preview
// the count (Prefer: tx=rollback: the real statement, rolled back), then ask for a confirmation
// that states the count and the filter, then write in one transaction guarded by that count
// (Prefer: max-affected=N: more rows by then and nothing is written). The result names its
// ferry.audit entry with an Undo button (POST /api/audit/ID/undo). A row's page edits or deletes
// that row. Every write carries the session's CSRF token from GET /api/write: the cookie alone
// never writes, and the server refuses writes another origin sends.
// app.js calls ferryWrite.grid and ferryWrite.row after drawing those pages; it uses app.js's api,
// esc, shown, route, go, rowHref and filterText.
"use strict";

const ferryWrite = (() => {
  // The last write of this tab, shown on its table's pages until the next one: {schema, table,
  // text, auditId, undoable, rowHref, fresh}.
  let last = null;

  const tablePath = (schema, table) => `/api/tables/${encodeURIComponent(schema)}/${encodeURIComponent(table)}`;

  function query(filters) {
    const p = new URLSearchParams();
    filters.forEach(([k, v]) => p.append(k, v));
    return p.toString();
  }

  async function status() {
    try {
      return await api("/api/write");
    } catch (e) {
      if (e instanceof SignInNeeded) throw e;
      return {enabled: false};
    }
  }

  // A write request: the CSRF token of this session in its header (asked for afresh: signing in
  // again changes it), the API's error message as the error.
  async function send(method, path, body, prefer) {
    const s = await status();
    if (!s.enabled) throw new Error("This explorer does not write (start it with ferry serve --write --token TOKEN).");
    const headers = {};
    if (s.csrf) headers[s.csrf_header] = s.csrf;
    if (prefer) headers["Prefer"] = prefer;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const r = await fetch(path, {method, headers, credentials: "same-origin", body: body === undefined ? undefined : JSON.stringify(body)});
    const text = await r.text();
    let answer;
    try { answer = JSON.parse(text); } catch (e) { answer = {error: text || r.statusText}; }
    if (r.status === 401) throw new SignInNeeded(answer.error || "Sign in again.");
    if (!r.ok) throw new Error(answer.error || `${r.status} ${r.statusText}`);
    return answer;
  }

  const plural = n => `${n.toLocaleString()} row${n === 1 ? "" : "s"}`;

  function box(anchor, where) {
    const el = document.createElement("section");
    el.id = "write-tools";
    el.className = "write-tools";
    el.setAttribute("aria-label", "Write");
    anchor.insertAdjacentElement(where, el);
    return el;
  }

  function fail(el, e) {
    if (e instanceof SignInNeeded) { signInForm(e.message); return; }
    el.innerHTML = `<p class="error" id="write-error" role="alert">${esc(e.message)}</p>`;
  }

  // The last write's result, with Undo, on the pages of its table.
  function result(tools, schema, table) {
    if (!last || last.schema !== schema || last.table !== table) return;
    const el = document.createElement("div");
    el.id = "write-result";
    el.className = "write-result";
    el.setAttribute("role", "status");
    el.innerHTML = `<span id="write-result-text">${esc(last.text)}</span>
      ${last.auditId != null ? ` <a id="write-audit" href="/api/audit/${last.auditId}">audit #${last.auditId}</a>` : ""}
      ${last.undoable ? ' <button id="write-undo">Undo</button>' : ""}
      ${last.rowHref ? ` <a id="write-row" href="${esc(last.rowHref)}">open the row</a>` : ""}
      <span id="write-undo-error"></span>`;
    tools.append(el);
    const undo = el.querySelector("#write-undo");
    if (undo) {
      undo.onclick = async () => {
        undo.disabled = true;
        try {
          const r = await send("POST", `/api/audit/${last.auditId}/undo`);
          last = {schema, table, text: `Undone: audit #${r.undone} reversed (${plural(r.rows)}), recorded as audit #${r.audit_id}.`,
            auditId: r.audit_id, undoable: false, rowHref: last.rowHref, fresh: true};
          route();
        } catch (e) {
          undo.disabled = false;
          fail(el.querySelector("#write-undo-error"), e);
        }
      };
      if (last.fresh) undo.focus();
    }
    last.fresh = false;
  }

  function done(schema, table, text, answer, rowHref) {
    last = {schema, table, text, auditId: answer.audit_id, undoable: true, rowHref, fresh: true};
  }

  // Escape closes a panel, from any of its fields.
  function closable(panel) {
    panel.addEventListener("keydown", e => { if (e.key === "Escape") { panel.innerHTML = ""; } });
  }

  // ---- the grid: bulk update and delete of the filtered rows ----

  async function grid(schema, table, meta, params, filters) {
    const anchor = document.getElementById("count-line");
    const s = await status();
    if (!s.enabled || !anchor || !anchor.isConnected) return;
    const tools = box(anchor, "afterend");
    result(tools, schema, table);
    const bar = document.createElement("div");
    bar.className = "toolbar";
    tools.append(bar);
    if (meta.kind !== "table" || !meta.primary_key.length) {
      bar.innerHTML = `<span class="muted" id="write-note">Writing needs a table with a primary key, so that every change can be undone.</span>`;
      return;
    }
    if (!filters.length) {
      bar.innerHTML = `<span class="muted" id="write-note">Add a filter to update or delete the rows it selects: a write never takes a whole table.</span>`;
      return;
    }
    if (params.get("q")) {
      bar.innerHTML = `<span class="muted" id="write-note">A search is not a filter: clear it to update or delete the filtered rows.</span>`;
      return;
    }
    bar.innerHTML = `<button id="bulk-update">Update these rows…</button> <button id="bulk-delete">Delete these rows…</button>`;
    const panel = document.createElement("div");
    panel.id = "write-panel";
    bar.after(panel);
    closable(panel);
    const target = {schema, table, filters, path: `${tablePath(schema, table)}/rows?${query(filters)}`,
      where: `${schema}.${table} where ${filterText(filters)}`};
    bar.querySelector("#bulk-update").onclick = () => updateForm(panel, meta, target);
    bar.querySelector("#bulk-delete").onclick = () => previewDelete(panel, target);
  }

  function updateForm(panel, meta, t) {
    const cols = meta.columns.filter(c => !meta.primary_key.includes(c.name));
    panel.innerHTML = `<form id="bulk-update-form" class="write-panel">
        <label>Set <select id="bulk-column">${cols.map(c => `<option value="${esc(c.name)}">${esc(c.name)} (${esc(c.type)})</option>`).join("")}</select></label>
        <label>to <input id="bulk-value" size="30" placeholder="new value (text, number, JSON…)"></label>
        <label><input type="checkbox" id="bulk-null"> null</label>
        <button id="bulk-preview">Preview</button> <button type="button" class="write-cancel">Cancel</button>
      </form><div id="write-confirm"></div>`;
    panel.querySelector(".write-cancel").onclick = () => { panel.innerHTML = ""; };
    const form = panel.querySelector("#bulk-update-form");
    form.onsubmit = async e => {
      e.preventDefault();
      const column = form.querySelector("#bulk-column").value;
      const value = form.querySelector("#bulk-null").checked ? null : form.querySelector("#bulk-value").value;
      const confirmEl = panel.querySelector("#write-confirm");
      try {
        const n = (await send("PATCH", t.path, {[column]: value}, "tx=rollback")).updated;
        const set = `set ${column} = ${value === null ? "null" : JSON.stringify(value)}`;
        confirmation(confirmEl, n, `Update ${plural(n)} of ${t.where}: ${set}?`, `Update ${plural(n)}`, async () => {
          const r = await send("PATCH", t.path, {[column]: value}, `max-affected=${n}`);
          done(t.schema, t.table, `Updated ${plural(r.updated)} of ${t.where} (${set}).`, r);
        });
      } catch (err) {
        fail(confirmEl, err);
      }
    };
    form.querySelector("#bulk-value").focus();
  }

  async function previewDelete(panel, t) {
    panel.innerHTML = `<div id="write-confirm" class="write-panel"></div>`;
    const confirmEl = panel.querySelector("#write-confirm");
    try {
      const n = (await send("DELETE", t.path, undefined, "tx=rollback")).deleted;
      const csv = `${tablePath(t.schema, t.table)}/export?${query(t.filters)}&format=csv`;
      confirmation(confirmEl, n, `Delete ${plural(n)} of ${t.where}?`, `Delete ${plural(n)}`, async () => {
        const r = await send("DELETE", t.path, undefined, `max-affected=${n}`);
        done(t.schema, t.table, `Deleted ${plural(r.deleted)} of ${t.where}.`, r);
      }, n === 0 ? "" : `<button id="export-then-delete">Download them (CSV), then delete</button>
          <a id="write-export" href="${esc(csv)}">CSV of these rows</a>`);
      const both = confirmEl.querySelector("#export-then-delete");
      if (both) {
        both.onclick = () => run(confirmEl, async () => {
          await download(csv, `${t.table}-deleted.csv`);
          const r = await send("DELETE", t.path, undefined, `max-affected=${n}`);
          done(t.schema, t.table, `Downloaded, then deleted ${plural(r.deleted)} of ${t.where}.`, r);
        });
      }
    } catch (err) {
      fail(confirmEl, err);
    }
  }

  // The whole export received before anything is deleted: fetched, then saved from memory.
  async function download(href, name) {
    const r = await fetch(href, {credentials: "same-origin"});
    if (!r.ok) {
      let message = r.statusText;
      try { message = (await r.json()).error || message; } catch (e) { /* not JSON */ }
      throw new Error(`The export failed, nothing was deleted: ${message}`);
    }
    const url = URL.createObjectURL(await r.blob());
    const a = document.createElement("a");
    a.href = url; a.download = name; a.hidden = true;
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }

  // "Update 12 rows of public.tweets where …?" with the count the preview found, Confirm, Cancel;
  // when the preview found no row, that, and nothing to confirm.
  function confirmation(el, n, question, confirmLabel, write, extra) {
    if (n === 0) {
      el.innerHTML = `<p id="write-question" data-count="0">${esc(question)} No row matches: nothing to change.</p>`;
      return;
    }
    el.innerHTML = `<p id="write-question" data-count="${n}">${esc(question)}</p>
      <div class="toolbar"><button id="write-confirm-button" class="danger">${esc(confirmLabel)}</button> ${extra || ""}
      <button type="button" class="write-cancel">Cancel</button></div>`;
    el.querySelector(".write-cancel").onclick = () => { el.innerHTML = ""; };
    el.querySelector("#write-confirm-button").onclick = () => run(el, write);
    el.querySelector("#write-confirm-button").focus();
  }

  // Runs a confirmed write once (its buttons disabled meanwhile), then redraws the page, or shows
  // the page the write names (["t", schema, table]).
  async function run(el, write) {
    el.querySelectorAll("button").forEach(b => { b.disabled = true; });
    try {
      const next = await write();
      if (next) go(next); else route();
    } catch (e) {
      fail(el, e);
    }
  }

  // ---- a row's page: edit or delete this row ----

  function keyPath(schema, table, meta, row) {
    const key = meta.primary_key;
    const one = key.length === 1 ? shown(row[key[0]]) : null;
    if (one !== null && one !== "" && !/[/\\]|^\.\.?$/.test(one)) {
      return `${tablePath(schema, table)}/rows/${encodeURIComponent(one)}`; // by key
    }
    return `${tablePath(schema, table)}/rows?${query(key.map(k => [k, "eq." + shown(row[k])]))}`;
  }

  async function row(schema, table, meta, values) {
    const anchor = document.getElementById("detail");
    const s = await status();
    if (!s.enabled || !anchor || !anchor.isConnected) return;
    const tools = box(anchor, "beforebegin");
    result(tools, schema, table);
    const bar = document.createElement("div");
    bar.className = "toolbar";
    tools.append(bar);
    if (meta.kind !== "table" || !meta.primary_key.length) {
      bar.innerHTML = `<span class="muted" id="write-note">Writing needs a table with a primary key.</span>`;
      return;
    }
    const name = meta.primary_key.map(k => `${k} = ${shown(values[k])}`).join(", ");
    bar.innerHTML = `<button id="row-edit">Edit this row…</button> <button id="row-delete">Delete this row…</button>`;
    const panel = document.createElement("div");
    panel.id = "write-panel";
    bar.after(panel);
    closable(panel);
    const path = keyPath(schema, table, meta, values);
    const href = rowHref(schema, table, Object.fromEntries(meta.primary_key.map(k => [k, shown(values[k])])));
    bar.querySelector("#row-edit").onclick = () => editForm(panel, meta, values, path, {schema, table, name});
    bar.querySelector("#row-delete").onclick = () => {
      panel.innerHTML = `<div id="write-confirm" class="write-panel"></div>`;
      confirmation(panel.firstChild, 1, `Delete the row ${name} of ${schema}.${table}?`, "Delete this row", async () => {
        const r = await send("DELETE", path, undefined, "max-affected=1");
        done(schema, table, `Deleted the row ${name} of ${schema}.${table}.`, r, href);
        return ["t", schema, table];
      });
    };
  }

  function editForm(panel, meta, values, path, t) {
    const cols = meta.columns.filter(c => !meta.primary_key.includes(c.name));
    const field = c => {
      const v = values[c.name], text = v === null ? "" : shown(v);
      const input = v !== null && typeof v === "object" || text.length > 80
        ? `<textarea data-col="${esc(c.name)}" rows="4" cols="70">${esc(text)}</textarea>`
        : `<input data-col="${esc(c.name)}" value="${esc(text)}" size="50">`;
      return `<dt><label>${esc(c.name)} <span class="muted">${esc(c.type)}</span></label></dt>
        <dd>${input} <label><input type="checkbox" data-null="${esc(c.name)}" ${v === null ? "checked" : ""}> null</label></dd>`;
    };
    panel.innerHTML = `<form id="row-edit-form" class="write-panel"><dl class="kv">${cols.map(field).join("")}</dl>
      <button id="row-save">Save</button> <button type="button" class="write-cancel">Cancel</button><div id="write-confirm"></div></form>`;
    panel.querySelector(".write-cancel").onclick = () => { panel.innerHTML = ""; };
    const form = panel.querySelector("#row-edit-form");
    form.onsubmit = async e => {
      e.preventDefault();
      const changes = {};
      cols.forEach(c => {
        const before = values[c.name] === null ? null : shown(values[c.name]);
        const isNull = form.querySelector(`[data-null="${CSS.escape(c.name)}"]`).checked;
        const after = isNull ? null : form.querySelector(`[data-col="${CSS.escape(c.name)}"]`).value;
        if (after !== before) changes[c.name] = after;
      });
      const out = form.querySelector("#write-confirm");
      if (!Object.keys(changes).length) { out.innerHTML = `<p class="muted" id="write-question">Nothing changed.</p>`; return; }
      await run(out, async () => {
        const r = await send("PATCH", path, changes, "max-affected=1");
        done(t.schema, t.table, `Updated the row ${t.name} of ${t.schema}.${t.table} (${Object.keys(changes).join(", ")}).`, r);
      });
    };
    const first = form.querySelector("[data-col]");
    if (first) first.focus();
  }


  // A page drawn while the session ended asks for the token again; other failures are shown.
  const signedIn = e => { if (e instanceof SignInNeeded) signInForm(e.message); else throw e; };
  return {
    grid: (schema, table, meta, params, filters) => grid(schema, table, meta, params, filters).catch(signedIn),
    row: (schema, table, meta, values) => row(schema, table, meta, values).catch(signedIn),
  };
})();
