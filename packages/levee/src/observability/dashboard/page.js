// @ts-check
/*
 * Script of the dashboard page. dashboard.ts inlines this file in a <script>
 * element and allows it by its hash in the Content-Security-Policy. It runs
 * as a classic script: no imports, nothing left in the global scope.
 */
(() => {
  // biome-ignore lint/suspicious/noRedundantUseStrict: a classic script is not strict by itself
  'use strict';

  /** @typedef {import('../dashboard.js').DashboardPayload} Payload */
  /** @typedef {import('../dashboard.js').DashboardInstance} Instance */
  /** @typedef {import('../dashboard.js').DashboardPoint} Point */
  /** @typedef {{ fill: HTMLElement, marker: HTMLElement, val: HTMLElement }} Row */
  /** @typedef {{ concMax: HTMLElement, concMin: HTMLElement, errMax: HTMLElement, errMin: HTMLElement }} Axis */
  /**
   * @typedef {object} Card
   * @property {HTMLElement} el
   * @property {HTMLElement} badge
   * @property {HTMLElement} capped
   * @property {HTMLElement} sub
   * @property {Row} conc
   * @property {Row} errs
   * @property {SVGElement} inflight
   * @property {SVGElement} limit
   * @property {SVGElement} sep
   * @property {SVGElement} budget
   * @property {SVGElement} err
   * @property {Axis} axis
   * @property {HTMLElement} legend
   * @property {Point[]} history
   * @property {HTMLElement} goodput
   * @property {HTMLElement} latency
   * @property {HTMLElement} capacity
   * @property {HTMLElement} admitted
   * @property {HTMLElement} rejected
   * @property {HTMLElement} failed
   */

  const W = 240;
  const H = 64;
  const HALF = 30;
  const path = location.pathname;
  const base = path.charAt(path.length - 1) === '/' ? path : `${path}/`;
  /** @param {string} id */
  const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));
  const grid = byId('grid');
  const empty = byId('empty');
  const status = byId('status');
  const errorBox = byId('error');
  /** @type {Map<string, Card>} */
  const cards = new Map();
  const SVG = 'http://www.w3.org/2000/svg';

  /**
   * @param {string} tag
   * @param {string} cls
   * @param {Element} [parent]
   * @returns {HTMLElement}
   */
  function el(tag, cls, parent) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (parent) parent.appendChild(e);
    return e;
  }
  /**
   * @param {string} tag
   * @param {string} cls
   * @param {Element} parent
   * @returns {SVGElement}
   */
  function svg(tag, cls, parent) {
    const e = /** @type {SVGElement} */ (document.createElementNS(SVG, tag));
    if (cls) e.setAttribute('class', cls);
    parent.appendChild(e);
    return e;
  }
  /** @param {number} x */
  function pct(x) {
    if (!(x > 0)) return '0%';
    if (x < 0.001) return `${(x * 100).toFixed(3)}%`;
    if (x < 0.1) return `${(x * 100).toFixed(2)}%`;
    return `${(x * 100).toFixed(1)}%`;
  }
  /**
   * @param {number} x
   * @param {number} d
   */
  function num(x, d) {
    if (!Number.isFinite(x)) return '-';
    return x >= 1000 ? Math.round(x).toLocaleString() : x.toFixed(d);
  }
  /**
   * @param {HTMLElement} card
   * @param {string} label
   * @returns {Row}
   */
  function row(card, label) {
    const r = el('div', 'row', card);
    el('span', 'lbl', r).textContent = label;
    const bar = el('div', 'bar', r);
    const fill = el('div', 'fill', bar);
    const marker = el('div', 'marker', bar);
    const val = el('span', 'val', r);
    return { fill, marker, val };
  }
  /**
   * @param {HTMLElement} dl
   * @param {string} label
   */
  function stat(dl, label) {
    const pair = el('div', '', dl);
    el('dt', '', pair).textContent = label;
    return el('dd', '', pair);
  }

  /**
   * @param {string} key
   * @returns {Card}
   */
  function makeCard(key) {
    const card = el('section', 'card');
    card.setAttribute('data-key', key);
    const head = el('div', 'head', card);
    const title = el('h2', '', head);
    title.textContent = key;
    title.title = key;
    const capped = el('span', 'capped', head);
    capped.textContent = 'capped';
    const badge = el('span', 'badge', head);
    const sub = el('div', 'sub', card);
    const conc = row(card, 'Concurrency');
    const errs = row(card, 'Error rate');
    const box = el('div', 'spark-box', card);
    const spark = document.createElementNS(SVG, 'svg');
    spark.setAttribute('class', 'spark');
    spark.setAttribute('viewBox', `0 0 ${W} ${H}`);
    spark.setAttribute('preserveAspectRatio', 'none');
    box.appendChild(spark);
    // The scale of each half: its top value and its zero, in HTML over the
    // chart (SVG text would be stretched by preserveAspectRatio="none").
    const axis = {
      concMax: el('span', 'tick conc-max', box),
      concMin: el('span', 'tick conc-min', box),
      errMax: el('span', 'tick err-max', box),
      errMin: el('span', 'tick err-min', box),
    };
    axis.concMin.textContent = '0';
    axis.errMin.textContent = '0%';
    const inflight = svg('polygon', 'inflight', spark);
    const limit = svg('polyline', 'limit', spark);
    const sep = svg('line', 'sep', spark);
    const budget = svg('line', 'budget', spark);
    const err = svg('polyline', 'err', spark);
    sep.setAttribute('x1', '0');
    sep.setAttribute('x2', String(W));
    sep.setAttribute('y1', String(HALF + 2));
    sep.setAttribute('y2', String(HALF + 2));
    const legend = el('div', 'legend', card);
    const dl = el('dl', '', card);
    return {
      el: card,
      badge,
      capped,
      sub,
      conc,
      errs,
      inflight,
      limit,
      sep,
      budget,
      err,
      axis,
      legend,
      history: [],
      goodput: stat(dl, 'goodput'),
      latency: stat(dl, 'latency'),
      capacity: stat(dl, 'est. capacity'),
      admitted: stat(dl, 'admitted'),
      rejected: stat(dl, 'rejected'),
      failed: stat(dl, 'failed'),
    };
  }

  /**
   * Polyline points of the last `values` on a chart of `slots` points, right-aligned.
   * @param {Array<number | null>} values
   * @param {number} top
   * @param {number} height
   * @param {number} max
   * @param {number} slots
   */
  function points(values, top, height, max, slots) {
    const step = W / Math.max(slots - 1, 1);
    const start = slots - values.length;
    /** @type {string[]} */
    const out = [];
    values.forEach((v, i) => {
      if (v === null) return;
      const x = (start + i) * step;
      const y = top + height - Math.min(v / max, 1) * height;
      out.push(`${x.toFixed(1)},${y.toFixed(1)}`);
    });
    return out;
  }

  /**
   * @param {Card} c
   * @param {number} slots
   * @param {number} sloErr
   */
  function drawSpark(c, slots, sloErr) {
    const h = c.history;
    let peak = 1;
    for (const p of h) peak = Math.max(peak, p.inflight, p.limit || 0);
    // Whole calls at the top of the scale, with a tenth of headroom.
    const maxC = Math.ceil(peak * 1.1);
    c.axis.concMax.textContent = String(maxC);
    const inflight = points(
      h.map((p) => p.inflight),
      2,
      HALF - 2,
      maxC,
      slots,
    );
    if (inflight.length > 0) {
      const first = inflight[0]?.split(',')[0];
      const last = inflight[inflight.length - 1]?.split(',')[0];
      inflight.unshift(`${first},${HALF}`);
      inflight.push(`${last},${HALF}`);
    }
    c.inflight.setAttribute('points', inflight.join(' '));
    c.limit.setAttribute(
      'points',
      points(
        h.map((p) => p.limit),
        2,
        HALF - 2,
        maxC,
        slots,
      ).join(' '),
    );
    let maxE = 2 * sloErr;
    for (const p of h) maxE = Math.max(maxE, p.errorRate);
    c.axis.errMax.textContent = pct(maxE);
    const top = HALF + 5;
    const height = H - top - 2;
    c.err.setAttribute(
      'points',
      points(
        h.map((p) => p.errorRate),
        top,
        height,
        maxE,
        slots,
      ).join(' '),
    );
    const by = (top + height - (sloErr / maxE) * height).toFixed(1);
    c.budget.setAttribute('x1', '0');
    c.budget.setAttribute('x2', String(W));
    c.budget.setAttribute('y1', by);
    c.budget.setAttribute('y2', by);
  }

  /**
   * @param {Card} c
   * @param {Instance} s
   * @param {number} slots
   * @param {number} t
   * @param {number} intervalMs
   */
  function update(c, s, slots, t, intervalMs) {
    c.badge.textContent = s.state;
    c.badge.setAttribute('data-state', s.state);
    c.el.setAttribute('data-state', s.state);
    c.capped.hidden = !(s.capped && s.state === 'CLOSED');
    const trigger = s.trigger === 'NONE' ? 'no transition yet' : `last trigger: ${s.trigger}`;
    c.sub.textContent = `${trigger} \u00b7 SLO ${pct(s.successRate)}`;

    let scale;
    let fill;
    if (s.capped) {
      scale = Math.max(s.limit, 1);
      fill = s.inflight / scale;
      c.conc.marker.hidden = true;
      c.conc.val.textContent = `${s.inflight} inflight / limit ${s.limit}`;
    } else {
      scale = Math.max(s.estimatedCapacity * 1.5, s.inflight, 1);
      fill = s.inflight / scale;
      c.conc.marker.hidden = !(s.estimatedCapacity > 0);
      c.conc.marker.className = 'marker cap';
      c.conc.marker.style.left = `${(Math.min(s.estimatedCapacity / scale, 1) * 100).toFixed(1)}%`;
      c.conc.val.textContent = `${s.inflight} inflight \u00b7 no limit (est. capacity ${num(s.estimatedCapacity, 1)})`;
    }
    c.conc.fill.style.width = `${(Math.min(fill, 1) * 100).toFixed(1)}%`;
    c.conc.fill.className = `fill${s.capped && s.inflight >= s.limit ? ' bad' : s.capped ? ' warn' : ''}`;

    const emax = Math.max(2 * s.sloErr, s.errorRate, s.errorLowerBound);
    c.errs.fill.style.width = `${(Math.min(s.errorRate / emax, 1) * 100).toFixed(1)}%`;
    c.errs.fill.className = `fill${s.errorLowerBound > s.sloErr ? ' bad' : s.errorRate > s.sloErr ? ' warn' : ''}`;
    c.errs.marker.hidden = false;
    c.errs.marker.style.left = `${((s.sloErr / emax) * 100).toFixed(1)}%`;
    c.errs.marker.title = `error budget ${pct(s.sloErr)}`;
    c.errs.val.textContent = `${pct(s.errorRate)} (lower bound ${pct(s.errorLowerBound)}) \u00b7 budget ${pct(s.sloErr)}`;

    c.goodput.textContent = `${num(s.goodput, 1)}/s`;
    c.latency.textContent = `${num(s.latencyMs, 1)} ms`;
    c.capacity.textContent = num(s.estimatedCapacity, 1);
    c.admitted.textContent = String(s.counters.admitted);
    c.rejected.textContent = String(s.counters.rejected);
    c.failed.textContent = String(s.counters.failed);

    c.history.push({
      t,
      inflight: s.inflight,
      limit: s.capped ? s.limit : null,
      errorRate: s.errorRate,
    });
    while (c.history.length > slots) c.history.shift();
    drawSpark(c, slots, s.sloErr);
    const span = Math.round((slots * intervalMs) / 1000);
    c.legend.textContent = `last ${span} s: inflight (area), limit (dashed); error rate, budget (dotted)`;
  }

  /** @param {Payload} payload */
  function render(payload) {
    const slots = payload.historySize;
    // The first message of a stream carries the samples the server kept:
    // they replace what this page had (also after a reconnect).
    /** @type {Map<string, readonly Point[]>} */
    const past = new Map();
    for (const h of payload.history || []) past.set(h.key, h.points);
    /** @type {Set<string>} */
    const seen = new Set();
    for (const s of payload.instances) {
      seen.add(s.key);
      let c = cards.get(s.key);
      if (!c) {
        c = makeCard(s.key);
        cards.set(s.key, c);
        grid.appendChild(c.el);
      }
      if (payload.history) c.history = (past.get(s.key) || []).slice();
      update(c, s, slots, payload.t, payload.intervalMs);
    }
    cards.forEach((c, key) => {
      if (!seen.has(key)) {
        c.el.remove();
        cards.delete(key);
      }
    });
    empty.hidden = cards.size > 0;
    errorBox.textContent = payload.error ? `Reading the instances failed: ${payload.error}` : '';
    errorBox.className = payload.error ? 'show' : '';
    const count = `${cards.size}${cards.size === 1 ? ' instance' : ' instances'}`;
    status.textContent = `live \u00b7 ${count} \u00b7 ${new Date(payload.t).toLocaleTimeString()}`;
    status.className = 'live';
    document.body.setAttribute('data-updated', String(payload.t));
  }

  const source = new EventSource(`${base}events`);
  source.onmessage = (ev) => {
    render(JSON.parse(ev.data));
  };
  source.onerror = () => {
    status.textContent = source.readyState === 2 ? 'disconnected' : 'reconnecting\u2026';
    status.className = 'down';
  };
})();
