// Pictures where people would rather look than read: a histogram of a numeric or time column in
// the table page (each bar a link to the filter it stands for), and the runs dashboard as charts.
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

  return {grid, chartable, histogramSvg};
})();
