// @ts-check
// biome-ignore-all format: the page inlines this file byte for byte; its layout is kept as written
// biome-ignore-all lint/complexity/useArrowFunction: written in function-expression style throughout
// biome-ignore-all lint/correctness/noInnerDeclarations: var where first used, function-scoped on purpose
// biome-ignore-all lint/style/useTemplate: string concatenation throughout (it once lived in a template string)
// biome-ignore-all lint/complexity/useOptionalChain: a && a.b style throughout
// biome-ignore-all lint/correctness/noUnusedFunctionParameters: uPlot passes callback arguments by position
// biome-ignore-all lint/suspicious/noGlobalIsFinite: only ever given numbers (null is tested first)
// biome-ignore-all lint/suspicious/noRedundantUseStrict: a classic script in the page, not a module
/**
 * The report page's script (it runs in the browser, after the inlined
 * uPlot). It reads the JSON in `#report-data`, inflates and decodes
 * the columns (see encode.ts), and draws what the page's layout (layout.ts,
 * `DATA.layout`) describes:
 *
 * - per run (candidate): the layout's run charts, e.g. for the closed loop
 *   requests/s (offered, admitted, capacity), completions/s, the inflight
 *   limit and inflight when the candidate reports them, and the backend;
 *   every per-run chart is shaded by the layout's state-share columns per
 *   pixel column (and downtime, and an optional strip along the top), with a
 *   marker at each crash (labelled, e.g. with the mesh node);
 * - a comparison section overlaying the selected runs (the layout's compare
 *   charts; the picker toggles every series of a run);
 * - on every chart, the layout's page-wide marks (the mesh's phase starts).
 *
 * All charts share one x scale: zooming (drag) or resetting (double-click) any
 * of them moves all the others, and the cursor is synchronised. When done the
 * page sets `document.body.dataset.ready = "1"` and `window.__report` (charts,
 * timing) for tests and the image script; a failure is shown in `#status` and
 * sets `data-ready="error"`.
 *
 * The location hash takes options (for links and the README images):
 * `only=<run label>/<chart>` shows one chart (a run chart key of the layout,
 * e.g. requests, outcomes, limit or backend) without the controls, `h=` the
 * chart height in px, `ymax=` a fixed top for the requests charts, `x0=`/`x1=`
 * an initial zoom in seconds.
 *
 * The page gets this file's code without its leading comments (this
 * description, the type-check and lint directives above): see client.ts.
 * Checked by biome (with the style rules above off) and by
 * `tsc -p packages/bench/tsconfig.page-script.json` (DOM and uPlot types,
 * not strict; the globals are declared in packages/bench/types/page-script.d.ts).
 */

(function () {
  'use strict';
  var t0 = performance.now();
  var statusEl = document.getElementById('status');
  var DATA = JSON.parse(document.getElementById('report-data').textContent);
  var params = new URLSearchParams(location.hash.slice(1));
  var CHART_H = Number(params.get('h')) || 220;
  var ONLY = params.get('only');
  var YMAX = Number(params.get('ymax')) || 0;
  var X0 = params.has('x0') ? Number(params.get('x0')) : NaN;
  var X1 = params.has('x1') ? Number(params.get('x1')) : NaN;
  var charts = [];
  var syncing = false;
  var INCRS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 14400, 21600, 43200, 86400];
  var LAYOUT = DATA.layout;
  var SHADE = LAYOUT.shade;
  var DOWN_FILL = [17, 24, 39];
  /** Columns whose prefix sums the shading reads. */
  var SHADE_COLS = SHADE.states.map(function (st) { return st.col; });
  if (SHADE.down) SHADE_COLS.push(SHADE.down);
  if (SHADE.strip) SHADE_COLS.push(SHADE.strip.col);
  var MARKS = LAYOUT.marks || [];
  /** Axis widths: every chart gets a right-hand axis or a gutter of the same width, so plots align. */
  var AXIS_SIZE = 60, LABEL_SIZE = 24;

  function setStatus(text, ready) {
    statusEl.textContent = text;
    if (ready !== undefined) document.body.dataset.ready = ready;
  }

  function pad2(n) { return (n < 10 ? '0' : '') + n; }

  function fmtTime(s, withSeconds) {
    s = Math.floor(s);
    if (DATA.clockStartS !== null) {
      var c = ((DATA.clockStartS + s) % 86400 + 86400) % 86400;
      var text = pad2(Math.floor(c / 3600)) + ':' + pad2(Math.floor(c / 60) % 60);
      return withSeconds ? text + ':' + pad2(c % 60) : text;
    }
    if (DATA.seconds <= 7200) return Math.floor(s / 60) + ':' + pad2(s % 60);
    var h = Math.floor(s / 3600);
    var rest = h + ':' + pad2(Math.floor(s / 60) % 60);
    return withSeconds ? rest + ':' + pad2(s % 60) : rest;
  }

  function fmtNum(v) {
    if (v == null || !isFinite(v)) return '';
    var a = Math.abs(v);
    if (a >= 1000) return Math.round(v).toLocaleString('en-US');
    if (a >= 100 || Number.isInteger(v)) return String(Math.round(v * 10) / 10);
    return v.toFixed(a >= 10 ? 1 : 2);
  }

  function xAxis() {
    return {
      space: 64,
      incrs: INCRS,
      values: function (u, splits, ax, space, incr) {
        return splits.map(function (s) { return fmtTime(s, incr < 60); });
      }
    };
  }

  function yAxis(scale, side, label) {
    var a = { scale: scale || 'y', size: AXIS_SIZE, values: function (u, vals) { return vals.map(fmtNum); } };
    if (side) { a.side = side; a.grid = { show: false }; }
    if (label) { a.label = label; a.labelSize = LABEL_SIZE; }
    return a;
  }

  function zeroBased(u, min, max) { return [0, max > 0 ? max * 1.04 : 1]; }

  // --- decoding -----------------------------------------------------------

  function base64Bytes(b64) {
    var bin = atob(b64);
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  function inflate(bytes) {
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    return new Response(stream).arrayBuffer().then(function (buf) { return new Uint8Array(buf); });
  }

  function unvarint(bytes, n, scale) {
    var out = new Float64Array(n);
    var prev = 0, i = 0, k = 0;
    while (i < bytes.length && k < n) {
      var z = 0, mul = 1, b;
      do { b = bytes[i++]; z += (b & 127) * mul; mul *= 128; } while (b >= 128);
      prev += (z % 2 === 0) ? z / 2 : -(z + 1) / 2;
      out[k++] = scale === 1 ? prev : prev / scale;
    }
    return out;
  }

  var blobCache = {};
  function blob(index) {
    if (!blobCache[index]) blobCache[index] = inflate(base64Bytes(DATA.blobs[index]));
    return blobCache[index];
  }

  /**
   * Levels of detail: "coarse" (bucket means, DATA.bucket seconds wide, embedded
   * separately and decoded first) and "full" (one value per second, decoded in
   * the background after the page is ready, or at the first zoom that needs it).
   */
  var LEVELS = {};
  function levelInfo(name) {
    var n = DATA.seconds, width = name === 'full' ? 1 : DATA.bucket;
    var len = Math.ceil(n / width);
    var xs = new Float64Array(len);
    for (var i = 0; i < len; i++) xs[i] = width === 1 ? i : Math.min(i * width + width / 2, (i * width + n) / 2);
    return { name: name, width: width, len: len, xs: xs };
  }

  function decodeLevel(name) {
    if (LEVELS[name]) return LEVELS[name].ready;
    var info = levelInfo(name);
    LEVELS[name] = info;
    info.ready = Promise.all(DATA.runs.map(function (run) {
      if (name === 'full' && run.coarseOnly) return decodeLevel('coarse').then(function () { expandCoarse(run, info); });
      var cols = name === 'full' ? run.fullCols : run.coarseCols;
      var keys = Object.keys(cols);
      return Promise.all(keys.map(function (k) { return blob(cols[k][0]); })).then(function (bytes) {
        var data = {};
        keys.forEach(function (k, j) { data[k] = unvarint(bytes[j], info.len, cols[k][1]); });
        var prefix = {};
        SHADE_COLS.forEach(function (k) {
          var col = data[k];
          if (!col) return;
          var p = new Float64Array(info.len + 1);
          for (var i = 0; i < info.len; i++) p[i + 1] = p[i] + col[i];
          prefix[k] = p;
        });
        run[name] = { data: data, prefix: prefix, width: info.width };
      });
    })).then(function () { info.done = true; return info; });
    return info.ready;
  }

  /** A run kept at overview resolution only: its bucket means, repeated per second. */
  function expandCoarse(run, info) {
    var src = run.coarse, w = src.width, data = {};
    Object.keys(src.data).forEach(function (k) {
      var c = src.data[k], out = new Float64Array(info.len);
      for (var i = 0; i < info.len; i++) out[i] = c[Math.floor(i / w)];
      data[k] = out;
    });
    run.full = { data: data, prefix: src.prefix, width: w };
  }

  function coarseName() { return DATA.bucket > 1 ? 'coarse' : 'full'; }

  // --- drawing helpers ----------------------------------------------------

  /** Mean of a per-second column over [a, b) seconds from its prefix sums. */
  function meanOver(p, a, b) {
    var n = p.length - 1;
    if (b <= 0 || a >= n) return 0;
    if (a < 0) a = 0;
    if (b > n) b = n;
    if (b - a < 1) {
      var i = Math.floor(a);
      return p[i + 1] - p[i];
    }
    var ia = Math.floor(a), ib = Math.floor(b);
    var sum = p[ib] - p[ia];
    sum -= (a - ia) * (p[ia + 1] - p[ia]);
    if (ib < n) sum += (b - ib) * (p[ib + 1] - p[ib]);
    return sum / (b - a);
  }

  /** Background (drawn after the axes, before the series): state shares, downtime and the strip, per 2-pixel column. */
  function shadeHook(run) {
    return function (u) {
      var ctx = u.ctx, bb = u.bbox;
      var min = u.scales.x.min, max = u.scales.x.max;
      var lv = run[u.reportLevel];
      if (!lv || min == null || max == null || max <= min) return;
      var w = lv.width;
      var dpr = window.devicePixelRatio || 1;
      var step = Math.max(1, Math.round(2 * dpr));
      var stripH = Math.round(5 * dpr);
      var perPx = (max - min) / bb.width;
      var downP = SHADE.down ? lv.prefix[SHADE.down] : null;
      var stripP = SHADE.strip ? lv.prefix[SHADE.strip.col] : null;
      ctx.save();
      for (var x = 0; x < bb.width; x += step) {
        var a = (min + x * perPx) / w, b = (min + (x + step) * perPx) / w;
        if (stripP) {
          var on = meanOver(stripP, a, b);
          if (on > 0.002) {
            ctx.fillStyle = 'rgba(' + SHADE.strip.rgb.join(',') + ',' + (0.25 + 0.6 * on).toFixed(3) + ')';
            ctx.fillRect(bb.left + x, bb.top, step, stripH);
          }
        }
        var down = downP ? meanOver(downP, a, b) : 0;
        if (down > 0.002) {
          ctx.fillStyle = 'rgba(' + DOWN_FILL.join(',') + ',' + (0.12 + 0.5 * down).toFixed(3) + ')';
          ctx.fillRect(bb.left + x, bb.top, step, bb.height);
          continue;
        }
        for (var k = 0; k < SHADE.states.length; k++) {
          var st = SHADE.states[k];
          var p = lv.prefix[st.col];
          if (!p) continue;
          var share = meanOver(p, a, b);
          if (share > 0.002) {
            ctx.fillStyle = 'rgba(' + st.rgb.join(',') + ',' + (0.08 + 0.3 * share).toFixed(3) + ')';
            ctx.fillRect(bb.left + x, bb.top, step, bb.height);
          }
        }
      }
      ctx.restore();
    };
  }

  /** Foreground: a marker at each crash start (labelled when there is room). */
  function crashHook(run) {
    return function (u) {
      if (!run.crashes.length) return;
      var ctx = u.ctx, bb = u.bbox;
      var dpr = window.devicePixelRatio || 1;
      var min = u.scales.x.min, max = u.scales.x.max;
      var lastLabelEnd = -1e9;
      ctx.save();
      ctx.fillStyle = '#b91c1c';
      ctx.strokeStyle = '#b91c1c';
      ctx.font = (10 * dpr) + 'px system-ui, sans-serif';
      ctx.textBaseline = 'top';
      for (var i = 0; i < run.crashes.length; i++) {
        var s = run.crashes[i][0];
        if (s < min || s > max) continue;
        var label = run.crashes[i][2] || 'crash';
        var x = u.valToPos(s, 'x', true);
        var size = 5 * dpr;
        ctx.beginPath();
        ctx.moveTo(x - size, bb.top);
        ctx.lineTo(x + size, bb.top);
        ctx.lineTo(x, bb.top + 1.6 * size);
        ctx.closePath();
        ctx.fill();
        ctx.globalAlpha = 0.6;
        ctx.beginPath();
        ctx.moveTo(x, bb.top);
        ctx.lineTo(x, bb.top + bb.height);
        ctx.lineWidth = dpr;
        ctx.stroke();
        ctx.globalAlpha = 1;
        if (x > lastLabelEnd + 4 * dpr) {
          ctx.fillText(label, x + 3 * dpr, bb.top + 2 * size);
          lastLabelEnd = x + 3 * dpr + ctx.measureText(label).width;
        }
      }
      ctx.restore();
    };
  }

  /** Foreground: the layout's page-wide marks (e.g. phase starts), a dashed line and a label. */
  function marksHook(u) {
    var ctx = u.ctx, bb = u.bbox;
    var dpr = window.devicePixelRatio || 1;
    var min = u.scales.x.min, max = u.scales.x.max;
    var lastLabelEnd = -1e9;
    ctx.save();
    ctx.strokeStyle = '#6b7280';
    ctx.fillStyle = '#374151';
    ctx.lineWidth = dpr;
    ctx.setLineDash([4 * dpr, 3 * dpr]);
    ctx.font = (10 * dpr) + 'px system-ui, sans-serif';
    ctx.textBaseline = 'bottom';
    for (var i = 0; i < MARKS.length; i++) {
      var s = MARKS[i].atS;
      if (s < min || s > max) continue;
      var x = Math.round(u.valToPos(s, 'x', true)) + 0.5;
      ctx.beginPath();
      ctx.moveTo(x, bb.top);
      ctx.lineTo(x, bb.top + bb.height);
      ctx.stroke();
      if (x > lastLabelEnd + 4 * dpr) {
        ctx.fillText(MARKS[i].label, x + 3 * dpr, bb.top + bb.height - 2 * dpr);
        lastLabelEnd = x + 3 * dpr + ctx.measureText(MARKS[i].label).width;
      }
    }
    ctx.restore();
  }

  function syncX(u, key) {
    if (key !== 'x') return;
    var min = u.scales.x.min, max = u.scales.x.max;
    if (min == null || max == null) return;
    if (!syncing) {
      syncing = true;
      try {
        charts.forEach(function (c) {
          if (c !== u && (c.scales.x.min !== min || c.scales.x.max !== max)) c.setScale('x', { min: min, max: max });
        });
      } finally {
        syncing = false;
      }
    }
    scheduleLevel(u);
  }

  /** The level of detail a chart should show for its current x range. */
  function wantedLevel(u) {
    if (DATA.bucket <= 1) return 'full';
    var min = u.scales.x.min, max = u.scales.x.max;
    if (min == null || max == null) return u.reportLevel;
    return (max - min) / Math.max(1, u.width) < DATA.bucket / 2 ? 'full' : 'coarse';
  }

  function scheduleLevel(u) {
    var want = wantedLevel(u);
    if (want === u.reportLevel || u.reportPending === want) return;
    u.reportPending = want;
    decodeLevel(want).then(function () {
      requestAnimationFrame(function () {
        u.reportPending = null;
        if (wantedLevel(u) !== want || u.reportLevel === want) return;
        applyLevel(u, want);
      });
    });
  }

  function applyLevel(u, level) {
    var min = u.scales.x.min, max = u.scales.x.max;
    u.reportLevel = level;
    u.setData(u.reportData(level), false);
    if (min != null && max != null) u.setScale('x', { min: min, max: max });
    var t = u.root.querySelector('.u-title');
    if (t) t.textContent = u.reportTitle + levelNote(level, u.reportRun);
  }

  function levelNote(level, run) {
    if (DATA.bucket <= 1) return '';
    if (run && run.coarseOnly) return ' \u00b7 ' + DATA.bucket + ' s means (per-second data left out)';
    if (level === 'full') return ' \u00b7 1 s resolution';
    return ' \u00b7 ' + DATA.bucket + ' s means' + (ONLY ? '' : ' (zoom in for per-second values)');
  }

  /**
   * The height (CSS px) at which every y-axis label of a chart fits along its
   * plot: uPlot centres a rotated label on the plot and the canvas edge cuts
   * whatever sticks out, so a label longer than the plot is tall gets the
   * chart that much taller (with a few pixels to spare).
   */
  function labelFitHeight(u, height) {
    var dpr = window.devicePixelRatio || 1;
    var room = u.bbox.height / dpr;
    var need = 0;
    u.ctx.save();
    u.axes.forEach(function (a) {
      if (!a.label || (a.side !== 1 && a.side !== 3)) return;
      u.ctx.font = a.labelFont[0];
      var w = u.ctx.measureText(a.label).width / dpr;
      need = Math.max(need, w + 8 - room);
    });
    u.ctx.restore();
    return need > 0 ? Math.ceil(height + need) : height;
  }

  function chart(container, key, title, series, dataFor, extra) {
    extra = extra || {};
    var box = document.createElement('div');
    box.className = 'chart';
    box.dataset.chart = key;
    container.appendChild(box);
    var axes = /** @type {object[]} */ ([xAxis(), yAxis('y', 0, extra.yLabel)]);
    var scales = { x: { time: false }, y: { range: extra.ymax ? function () { return [0, extra.ymax]; } : zeroBased } };
    if (extra.y2) {
      axes.push(yAxis('y2', 1, extra.y2Label));
      scales.y2 = { range: zeroBased };
    } else {
      // An empty right-hand gutter as wide as the y2 axis, so every chart's plot spans the same x pixels.
      axes.push({ scale: 'y', side: 1, size: AXIS_SIZE + LABEL_SIZE, values: function () { return []; }, grid: { show: false }, ticks: { show: false } });
    }
    var hooks = { setScale: [syncX], drawAxes: [], draw: [] };
    if (MARKS.length) hooks.draw.push(marksHook);
    if (extra.run) {
      hooks.drawAxes.push(shadeHook(extra.run));
      hooks.draw.push(crashHook(extra.run));
    }
    var level = coarseName();
    var opts = {
      title: title + levelNote(level, extra.run),
      width: Math.max(320, box.clientWidth),
      height: CHART_H,
      cursor: { sync: { key: 'report-x' }, drag: { x: true, y: false } },
      scales: scales,
      axes: axes,
      series: [{ label: 'time', value: function (u, v) { return v == null ? '' : fmtTime(v, true); } }].concat(series),
      legend: { live: true },
      hooks: hooks
    };
    var u = new uPlot(opts, null, box);
    u.reportHeight = labelFitHeight(u, CHART_H);
    if (u.reportHeight !== CHART_H) u.setSize({ width: u.width, height: u.reportHeight });
    u.reportKey = key;
    u.reportTitle = title;
    u.reportRun = extra.run;
    u.reportData = dataFor;
    u.reportLevel = level;
    u.reportPending = null;
    charts.push(u);
    u.setData(dataFor(level));
    return u;
  }

  function line(label, color, opts) {
    var s = { label: label, stroke: color, width: 1, value: function (u, v) { return fmtNum(v); } };
    for (var k in opts) s[k] = opts[k];
    return s;
  }

  function stepped() { return uPlot.paths.stepped({ align: 1 }); }

  var gapCache = typeof WeakMap === 'function' ? new WeakMap() : null;
  function zeroAsGap(col) {
    var hit = gapCache && gapCache.get(col);
    if (hit) return hit;
    var out = new Array(col.length);
    for (var i = 0; i < col.length; i++) out[i] = col[i] > 0 ? col[i] : null;
    if (gapCache) gapCache.set(col, out);
    return out;
  }

  function xsOf(level) { return LEVELS[level].xs; }

  // --- sections -----------------------------------------------------------

  /** Runs past the first few start collapsed; their charts are built when opened. */
  var OPEN_RUNS = 6;

  function runSection(run, host, index) {
    if (!ONLY && index >= OPEN_RUNS) {
      var det = document.createElement('details');
      det.className = 'run';
      det.dataset.run = run.label;
      var sum = document.createElement('summary');
      sum.textContent = run.label;
      det.appendChild(sum);
      host.appendChild(det);
      det.addEventListener('toggle', function () {
        if (det.open && !det.dataset.built) {
          det.dataset.built = '1';
          fillRunSection(run, det);
          var c0 = charts[0];
          if (c0) syncX(c0, 'x');
        }
      });
      return;
    }
    var sec = document.createElement('section');
    sec.className = 'run';
    sec.dataset.run = run.label;
    host.appendChild(sec);
    fillRunSection(run, sec);
  }

  function fillRunSection(run, sec) {
    var h = document.createElement('h3');
    h.textContent = run.label;
    var swatch = document.createElement('span');
    swatch.className = 'swatch';
    swatch.style.background = run.color;
    h.prepend(swatch);
    sec.appendChild(h);
    var note = (run.summary || '') + (run.coarseOnly ? (run.summary ? ' ' : '') + 'Per-second data left out to keep the page small: zooming in shows ' + DATA.bucket + ' s means.' : '');
    if (note) {
      var p = document.createElement('p');
      p.className = 'summary';
      p.textContent = note;
      sec.appendChild(p);
    }
    if (ONLY) {
      var key = document.querySelector('.key');
      if (key) sec.appendChild(key);
    }
    var want = function (k) { return !ONLY || ONLY === run.label + '/' + k; };
    LAYOUT.runCharts.forEach(function (spec) {
      if (spec.needs && !run.fullCols[spec.needs]) return;
      if (!want(spec.key)) return;
      var specs = spec.series.filter(function (s) { return run.fullCols[s.col]; });
      chart(sec, run.label + '/' + spec.key, run.label + ' \u2014 ' + spec.title, specs.map(function (s) { return seriesOf(s, s.label, s.color); }), function (lv) {
        var c = run[lv].data;
        return [xsOf(lv)].concat(specs.map(function (s) { return s.zeroAsGap ? zeroAsGap(c[s.col]) : c[s.col]; }));
      }, {
        run: run, yLabel: spec.yLabel, ymax: spec.ymaxOption ? YMAX : 0,
        y2: specs.some(function (s) { return s.y2; }), y2Label: spec.y2Label
      });
    });
  }

  /** A uPlot series for a layout series spec. */
  function seriesOf(s, label, color) {
    var opts = {};
    if (s.fill) opts.fill = s.fill;
    if (s.width) opts.width = s.width;
    if (s.dash) opts.dash = s.dash;
    if (s.stepped) opts.paths = stepped();
    if (s.hidden) opts.show = false;
    if (s.y2) opts.scale = 'y2';
    return line(label, color, opts);
  }

  /** A column of a run at a level, or a column of gaps when the run has none. */
  var gapCols = {};
  function columnOf(run, lv, col) {
    var c = run[lv].data[col];
    if (c) return c;
    var n = LEVELS[lv].len;
    return gapCols[lv] || (gapCols[lv] = new Array(n).fill(null));
  }

  function compareSection() {
    var sec = document.getElementById('compare');
    var picker = document.getElementById('picker');
    var runs = DATA.runs;
    var body = document.createElement('div');
    sec.appendChild(body);
    /** Per comparison chart: the chart and, per run, the indices of its series. */
    var built = LAYOUT.compare.map(function (spec) {
      var shared = (spec.shared || []).filter(function (s) { return runs[0].fullCols[s.col]; });
      var series = shared.map(function (s) { return seriesOf(s, s.label, s.color); });
      var owned = runs.map(function () { return []; });
      runs.forEach(function (run, i) {
        spec.perRun.forEach(function (s) {
          owned[i].push(1 + series.length);
          series.push(seriesOf(s, run.label + s.label, s.color || run.color));
        });
      });
      var u = chart(body, 'compare/' + spec.key, spec.title, series, function (lv) {
        var out = [xsOf(lv)];
        shared.forEach(function (s) { out.push(columnOf(runs[0], lv, s.col)); });
        runs.forEach(function (run) {
          spec.perRun.forEach(function (s) { out.push(columnOf(run, lv, s.col)); });
        });
        return out;
      }, { yLabel: spec.yLabel });
      return { u: u, owned: owned };
    });
    runs.forEach(function (run, i) {
      var label = document.createElement('label');
      var box = document.createElement('input');
      box.type = 'checkbox';
      box.checked = i < 2;
      box.dataset.run = run.label;
      var apply = function () {
        var show = box.checked;
        built.forEach(function (b) {
          b.owned[i].forEach(function (idx) { b.u.setSeries(idx, { show: show }); });
        });
      };
      box.addEventListener('change', apply);
      var swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = run.color;
      label.append(box, swatch, document.createTextNode(run.label));
      picker.appendChild(label);
      apply();
    });
  }

  function resetZoom() {
    if (charts.length) charts[0].setScale('x', { min: 0, max: DATA.seconds - 1 });
  }

  function build() {
    var host = document.getElementById('runs');
    if (!ONLY && DATA.runs.length > 1) compareSection();
    else document.getElementById('compare').hidden = true;
    if (ONLY) {
      document.getElementById('controls').hidden = true;
      document.body.classList.add('single');
    }
    DATA.runs.forEach(function (run, i) {
      if (!ONLY || ONLY.indexOf(run.label + '/') === 0) runSection(run, host, i);
    });
    var reset = document.getElementById('reset-zoom');
    if (reset) reset.addEventListener('click', resetZoom);
    var pending = 0;
    window.addEventListener('resize', function () {
      if (pending) return;
      pending = requestAnimationFrame(function () {
        pending = 0;
        charts.forEach(function (u) {
          var w = Math.max(320, u.root.parentNode.clientWidth);
          if (w !== u.width) u.setSize({ width: w, height: u.reportHeight });
        });
      });
    });
  }

  if (!DATA.runs.length) {
    document.getElementById('compare').hidden = true;
    document.getElementById('controls').hidden = true;
    setStatus('No traces were recorded for this suite: results only.', '1');
    window.__report = { charts: charts, readyMs: performance.now() - t0 };
    return;
  }
  if (typeof DecompressionStream === 'undefined') {
    setStatus('This browser cannot inflate the embedded data (no DecompressionStream); use a current Chromium, Firefox or Safari.', 'error');
    return;
  }
  setStatus('Decoding ' + DATA.runs.length + ' trace(s)\u2026');
  decodeLevel(coarseName()).then(function () {
    var t1 = performance.now();
    build();
    requestAnimationFrame(function () {
      var t2 = performance.now();
      window.__report = {
        charts: charts, decodeMs: t1 - t0, readyMs: t2 - t0, seconds: DATA.seconds, bucket: DATA.bucket, full: false,
        /** True once every chart shows the level of detail its x range asks for. */
        settled: function () {
          return charts.every(function (u) { return u.reportLevel === wantedLevel(u) && !u.reportPending; });
        }
      };
      if (isFinite(X0) && isFinite(X1) && X1 > X0 && charts.length) charts[0].setScale('x', { min: X0, max: X1 });
      setStatus(charts.length + ' charts, ' + DATA.seconds.toLocaleString('en-US') + ' s each. Drag across a chart to zoom (all charts follow), double-click to reset.', '1');
      // Per-second data for zooming in, decoded once the page is up.
      setTimeout(function () {
        decodeLevel('full').then(function () {
          window.__report.full = true;
          charts.forEach(scheduleLevel);
        });
      }, 50);
    });
  }).catch(function (err) {
    setStatus('Could not draw the charts: ' + (err && err.message ? err.message : String(err)), 'error');
    console.error(err);
  });
})();
