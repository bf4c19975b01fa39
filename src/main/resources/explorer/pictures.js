// Pictures where people would rather look than read: a histogram of a numeric or time column in
// the table page (each bar a link to the filter it stands for), the runs dashboard as charts, and
// a live sync's lag over time.
// Inline SVG drawn from the API's numbers; no library, no inline style or script (CSP-clean: the
// sizes are SVG attributes, the colours classes in app.css). Every chart has a text equivalent:
// a <title> per mark, an aria-label per link, a caption saying what was measured and what was not.
// Uses app.js's api, esc, shown, main, go and SignInNeeded.
"use strict";

const ferryPictures = (() => {
  // The column types the histogram API takes (serve/Buckets.Kind).
  const NUMERIC = /^(smallint|integer|bigint|real|double precision|numeric(\(.*\))?)$/;
  const TIME = /^(date|timestamp(\(\d+\))? with(out)? time zone)$/;
  const W = 640, H = 120, GAP = 2;

  function chartable(type) {
    return NUMERIC.test(type) || TIME.test(type);
  }

  function fmt(n) {
    return Number(n).toLocaleString(undefined, {maximumFractionDigits: 2});
  }

  // The filters a bucket stands for: C=gte.LOWER and C=lt.UPPER (none below the first bucket's
  // lower bound, none above the last's upper: they are open-ended).
  function bucketParams(params, column, buckets, i) {
    const p = new URLSearchParams(params); p.delete("after");
    if (i > 0) p.append(column, "gte." + shown(buckets[i].lower));
    if (i < buckets.length - 1) p.append(column, "lt." + shown(buckets[i].upper));
    return p;
  }

  function bucketText(h, i) {
    const b = h.buckets[i], last = h.buckets.length - 1;
    const from = i === 0 ? "below " + shown(b.upper) : i === last ? shown(b.lower) + " and above" : `${shown(b.lower)} to ${shown(b.upper)}`;
    const range = i === 0 && i === last ? "all values" : from;
    return `${h.column} ${range}: ${h.estimated ? "about " : ""}${fmt(b.count)} rows`;
  }

  // The histogram panel of the table page: a column picker (numeric and time columns), and the
  // chosen column's bars (_hist in the URL, so the view is a link).
  async function grid(schema, table, meta, params) {
    const cols = meta.columns.filter(c => chartable(c.type));
    if (!cols.length) return;
    const chosen = params.get("_hist") || "";
    const anchor = document.getElementById("facets");
    if (!anchor) return;
    anchor.insertAdjacentHTML("afterend", `<div class="toolbar"><label>Histogram of <select id="hist-col"><option value="">…</option>${cols.map(c =>
      `<option ${c.name === chosen ? "selected" : ""}>${esc(c.name)}</option>`).join("")}</select></label></div><figure id="histogram" class="chart" hidden></figure>`);
    document.getElementById("hist-col").onchange = e => {
      const p = new URLSearchParams(params); p.delete("after");
      e.target.value ? p.set("_hist", e.target.value) : p.delete("_hist");
      go(["t", schema, table], p);
    };
    if (!chosen) return;
    const el = document.getElementById("histogram");
    el.hidden = false;
    const filters = new URLSearchParams(params);
    ["limit", "order", "after", "q", "_facet", "_hist"].forEach(k => filters.delete(k));
    try {
      const h = await api(`/api/tables/${encodeURIComponent(schema)}/${encodeURIComponent(table)}/histogram?column=${encodeURIComponent(chosen)}&buckets=20&${filters}`);
      el.innerHTML = histogramSvg(schema, table, params, h);
    } catch (e) {
      if (e instanceof SignInNeeded) throw e;
      el.innerHTML = `<p class="error" id="histogram-error">${esc(e.message)}</p>`;
    }
  }

  function histogramSvg(schema, table, params, h) {
    const n = h.buckets.length;
    const caption = `<figcaption id="histogram-caption">${esc(h.column)} <span class="muted">(${esc(h.type)})</span>: ${n ? n + " buckets" : "no values"}${h.nulls ? `, ${fmt(h.nulls)} null` : ""}${h.estimated ? ` <span class="badge warn" id="histogram-sampled">sampled: ${fmt(h.sample_percent)}% of the rows, counts scaled up</span>` : ""} <span class="muted">· click a bar to filter</span></figcaption>`;
    if (!n) return caption;
    const max = Math.max(1, ...h.buckets.map(b => b.count));
    const w = W / n;
    const bars = h.buckets.map((b, i) => {
      const bh = b.count === 0 ? 0 : Math.max(1, Math.round((H - 4) * b.count / max));
      const href = "#/t/" + [schema, table].map(encodeURIComponent).join("/") + "?" + bucketParams(params, h.column, h.buckets, i);
      const text = bucketText(h, i);
      return `<a class="hist-bar" href="${esc(href)}" aria-label="${esc(text)}" data-bucket="${i}" data-count="${b.count}"><title>${esc(text)}</title>` +
        `<rect class="hit" x="${(i * w).toFixed(1)}" y="0" width="${(w - GAP).toFixed(1)}" height="${H}"></rect>` +
        `<rect class="bar-fill" x="${(i * w).toFixed(1)}" y="${H - bh}" width="${(w - GAP).toFixed(1)}" height="${bh}"></rect></a>`;
    }).join("");
    const first = shown(h.buckets[0].lower), last = shown(h.buckets[n - 1].upper);
    const axis = `<text class="axis" x="0" y="${H + 14}">${esc(first)}</text><text class="axis" x="${W}" y="${H + 14}" text-anchor="end">${esc(last)}</text>` +
      `<text class="axis" x="${W + 4}" y="10">${fmt(max)}</text>`;
    return `${caption}<svg id="histogram-svg" role="group" aria-label="${esc("Histogram of " + h.column)}" viewBox="0 0 ${W + 60} ${H + 20}" width="${W + 60}" height="${H + 20}">${bars}${axis}</svg>`;
  }

  // Horizontal bars, one row per item ({label, value, text}), against `scale` (default: the
  // largest value). Each row's <title> is its text equivalent.
  function hbars(id, label, items, scale) {
    const rowH = 20, left = 190, width = 420;
    const max = Math.max(1e-9, scale || 0, ...items.map(i => i.value));
    const rows = items.map((it, k) => {
      const y = k * rowH, bw = Math.max(it.value > 0 ? 1 : 0, Math.round(width * it.value / max));
      return `<g class="hbar ${esc(it.cls || "")}" data-label="${esc(it.label)}" data-value="${it.value}"><title>${esc(it.text)}</title>` +
        `<text class="axis" x="${left - 6}" y="${y + 14}" text-anchor="end">${esc(it.label.slice(0, 28))}</text>` +
        `<rect class="bar-fill" x="${left}" y="${y + 3}" width="${bw}" height="${rowH - 6}"></rect>` +
        `<text class="axis" x="${left + bw + 4}" y="${y + 14}">${esc(it.short)}</text></g>`;
    }).join("");
    return `<svg id="${esc(id)}" role="img" aria-label="${esc(label + ": " + items.map(i => i.text).join("; "))}" viewBox="0 0 ${left + width + 110} ${items.length * rowH}" width="${left + width + 110}" height="${items.length * rowH}">${rows}</svg>`;
  }

  // A stacked bar: segments ({label, value, text}) one after another across the full width.
  function stacked(id, label, parts) {
    const width = 720, h = 26, total = Math.max(1e-9, parts.reduce((n, p) => n + p.value, 0));
    let x = 0;
    const segs = parts.map((p, k) => {
      const w = width * p.value / total, seg = `<g class="seg seg-${k % 6}" data-label="${esc(p.label)}" data-value="${p.value}"><title>${esc(p.text)}</title>` +
        `<rect x="${x.toFixed(1)}" y="0" width="${Math.max(0, w - 1).toFixed(1)}" height="${h}"></rect>` +
        (w > 70 ? `<text class="seg-label" x="${(x + 4).toFixed(1)}" y="17">${esc(p.label.slice(0, Math.floor(w / 7)))}</text>` : "") + "</g>";
      x += w; return seg;
    }).join("");
    return `<svg id="${esc(id)}" role="img" aria-label="${esc(label + ": " + parts.map(p => p.text).join("; "))}" viewBox="0 0 ${width} ${h}" width="${width}" height="${h}">${segs}</svg>`;
  }

  // The run page's charts, from what ferry.runs and ferry.table_results record: the run's wall
  // time, each table's load seconds and rows read. When each table started is not recorded, nor a
  // series over the run (checkpoints keep per-chunk counts, not times), nor the run's phases: the
  // captions say so rather than drawing what was not measured.
  function run(data) {
    const r = data.run, tables = data.tables || [];
    const anchor = document.getElementById("run-tables");
    if (!r || !anchor || !tables.length) return;
    const wall = Number(r.seconds), jobs = r.jobs, loads = tables.reduce((n, t) => n + Number(t.seconds), 0);
    const s = v => fmt(v) + " s";
    const perTable = tables.map(t => ({label: t.target_table, value: Number(t.seconds), short: s(t.seconds),
      text: `${t.target_table}: ${s(t.seconds)} loading ${fmt(t.rows_read)} rows`}));
    const sequential = jobs === 1 || tables.length === 1;
    let time;
    if (sequential && loads <= wall) {
      const parts = perTable.concat([{label: "rest of the run", value: wall - loads, short: "",
        text: `rest of the run (plan, keys, verification, bookkeeping): ${s(wall - loads)}`}]);
      time = stacked("run-time", "Where the run's time went", parts) +
        `<figcaption class="muted">The run took ${s(wall)}${r.finished_at == null ? " so far (still running)" : ""}: each table's load one after another (--jobs 1), then the rest. The phases of the rest are not recorded per run.</figcaption>`;
    } else {
      time = hbars("run-time", "Seconds per table", [{label: "whole run", value: wall, short: s(wall), cls: "whole",
        text: `the whole run: ${s(wall)}`}].concat(perTable), wall) +
        `<figcaption class="muted">Each table's load time against the run's ${s(wall)}${r.finished_at == null ? " so far" : ""}. Tables load ${jobs ? jobs : "several"} at a time, so the bars overlap in time (${s(loads)} of table loads in ${s(wall)}); when each started, and the run's phases, are not recorded.</figcaption>`;
    }
    const rates = tables.map(t => {
      const v = Number(t.seconds) > 0 ? Number(t.rows_read) / Number(t.seconds) : 0;
      return {label: t.target_table, value: v, short: Number(t.seconds) > 0 ? fmt(Math.round(v)) + " rows/s" : "n/a",
        text: `${t.target_table}: ${Number(t.seconds) > 0 ? fmt(Math.round(v)) + " rows/s" : "no time recorded"} (${fmt(t.rows_read)} rows in ${s(t.seconds)})`};
    });
    anchor.insertAdjacentHTML("beforebegin", `<div class="charts" id="run-charts">
      <figure class="chart" id="run-time-chart"><h4>Where the time went</h4>${time}</figure>
      <figure class="chart" id="run-rate-chart"><h4>Rows per second, per table</h4>${hbars("run-rate", "Rows per second per table", rates)}
        <figcaption class="muted">Rows read over each table's whole load time (its start to its finish): an average per table, not a series over the run, which is not recorded.</figcaption></figure></div>`);
  }

  // Lag over time, one chart per live sync (GET /api/sync: ferry.sync_state and the follower's
  // ferry.sync_lag series), above the runs table. Each point is a circle with its <title>; the
  // caption is the text equivalent: state, direction, the last point, p50 and max over the window.
  async function syncs() {
    const anchor = document.getElementById("runs");
    if (!anchor) return;
    let data;
    try {
      data = await api("/api/sync");
    } catch (e) {
      if (e instanceof SignInNeeded) throw e;
      anchor.insertAdjacentHTML("beforebegin", `<p class="error" id="sync-error">${esc(e.message)}</p>`);
      return;
    }
    if (!data.syncs.length) return;
    anchor.insertAdjacentHTML("beforebegin", `<div class="charts" id="sync-charts">${data.syncs.map(lagChart).join("")}</div>`);
  }

  const DIRECTION = {to_postgres: "SQLite → PostgreSQL", to_sqlite: "PostgreSQL → SQLite (after cutover)"};
  const clock = t => new Date(t).toISOString().replace("T", " ").slice(0, 19) + " UTC";

  function lagChart(s, k) {
    const pts = s.series, ms = v => fmt(v) + " ms", last = pts[pts.length - 1];
    const now = last ? `at the last point (${clock(last.at)}) lag ${ms(last.lag_ms)}, backlog ${fmt(last.backlog)}, ${fmt(s.applied)} changes applied` : "no lag recorded yet";
    const over = pts.length ? `; over ${fmt(s.points_recorded)} points (one a second since ${clock(pts[0].at)}): lag p50 ${ms(s.lag_p50_ms)}, max ${ms(s.lag_max_ms)}` : "";
    const sampled = s.downsampled ? `; drawn as ${fmt(pts.length)} points, each the largest lag of its span` : "";
    const caption = `<figcaption id="sync-caption-${k}">${esc(s.source)} → ${esc(s.target_schema)}: ${esc(s.state)}, ${esc(DIRECTION[s.direction] || s.direction)}; ${esc(now + over + sampled)}.</figcaption>`;
    const head = `<figure class="chart lag-chart" id="sync-lag-${k}" data-source="${esc(s.source)}"><h4>Lag over time</h4>`;
    if (!pts.length) return `${head}${caption}</figure>`;
    const t0 = Date.parse(pts[0].at), t1 = Math.max(t0 + 1, Date.parse(last.at));
    const top = Math.max(1, ...pts.map(p => p.lag_ms));
    const x = p => (W * (Date.parse(p.at) - t0) / (t1 - t0)).toFixed(1);
    const y = p => (H - (H - 4) * p.lag_ms / top).toFixed(1);
    const line = `<polyline class="lag-line" points="${pts.map(p => x(p) + "," + y(p)).join(" ")}"></polyline>`;
    const marks = pts.map(p => `<circle class="lag-point ${esc(p.direction)}" cx="${x(p)}" cy="${y(p)}" r="2" data-lag="${p.lag_ms}" data-at="${esc(p.at)}"><title>${esc(`${clock(p.at)}: lag ${ms(p.lag_ms)}, backlog ${fmt(p.backlog)}, applied ${fmt(p.applied)}`)}</title></circle>`).join("");
    const axis = `<line class="lag-axis" x1="0" y1="${H}" x2="${W}" y2="${H}"></line><text class="axis" x="0" y="${H + 14}">${esc(clock(pts[0].at))}</text><text class="axis" x="${W}" y="${H + 14}" text-anchor="end">${esc(clock(last.at))}</text>` +
      `<text class="axis" x="${W + 4}" y="10">${ms(top)}</text><text class="axis" x="${W + 4}" y="${H}">0 ms</text>`;
    return `${head}${caption}<svg id="sync-lag-svg-${k}" role="img" aria-label="${esc(`Lag over time for ${s.source}: ${now}${over}`)}" viewBox="0 0 ${W + 70} ${H + 20}" width="${W + 70}" height="${H + 20}">${line}${marks}${axis}</svg></figure>`;
  }

  return {grid, run, syncs, chartable, histogramSvg};
})();
