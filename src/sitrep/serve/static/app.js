/* sitrep serve — the map, the timeline, the evidence and the paste box.
 *
 * Article text is untrusted: everything shown is put into the page as text nodes or
 * attribute values (textContent, setAttribute), never parsed as HTML. Leaflet tooltips get DOM
 * nodes, not strings, for the same reason. Offsets from the API count Unicode code points
 * (Python), so highlighting slices arrays of code points, not UTF-16 strings.
 */
(function () {
  "use strict";

  // --- small helpers ----------------------------------------------------------------------

  function el(tag, attrs) {
    var node = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v === null || v === undefined || v === false) return;
        if (k === "text") node.textContent = String(v);
        else if (k === "class") node.className = v;
        else node.setAttribute(k, v === true ? "" : String(v));
      });
    }
    for (var i = 2; i < arguments.length; i++) {
      var child = arguments[i];
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  function $(id) {
    return document.getElementById(id);
  }

  function fmt(n) {
    return n === null || n === undefined ? "–" : Number(n).toLocaleString("en-GB");
  }

  function setStatus(text, isError) {
    var s = $("status");
    s.textContent = text;
    s.classList.toggle("error", !!isError);
  }

  function api(path, options) {
    return fetch(path, options).then(function (resp) {
      return resp.text().then(function (body) {
        var data = null;
        try {
          data = body ? JSON.parse(body) : null;
        } catch (e) {
          data = null;
        }
        if (!resp.ok) {
          var msg = data && data.message ? data.message : "HTTP " + resp.status;
          var err = new Error(msg);
          err.status = resp.status;
          throw err;
        }
        return data;
      });
    });
  }

  /** Only http(s) links are ever made clickable. */
  function safeUrl(url) {
    if (typeof url !== "string") return null;
    try {
      var u = new URL(url);
      return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  /** Text with the given spans (code-point offsets) marked, as DOM nodes in ``container``. */
  function renderMarked(container, text, highlights) {
    var chars = Array.from(text || "");
    var spans = (highlights || [])
      .filter(function (h) {
        return h.start >= 0 && h.end > h.start && h.end <= chars.length;
      })
      .sort(function (a, b) {
        return a.start - b.start || b.end - a.end;
      });
    var pos = 0;
    spans.forEach(function (h) {
      if (h.start < pos) return; // overlapping spans: the first wins
      if (h.start > pos) container.appendChild(document.createTextNode(chars.slice(pos, h.start).join("")));
      var label = h.kind + ": " + fmt(h.best) + (h.qualifier ? " (" + h.qualifier + ")" : "");
      if (h.group && h.group !== "people") label += ", " + h.group;
      container.appendChild(
        el("mark", { class: "k-" + h.kind, title: label, "data-kind": h.kind, text: chars.slice(h.start, h.end).join("") })
      );
      pos = h.end;
    });
    if (pos < chars.length) container.appendChild(document.createTextNode(chars.slice(pos).join("")));
    return container;
  }

  // --- event types and colours ------------------------------------------------------------

  var CLASSES = [
    ["battles", "Battles", "#c0392b"],
    ["explosions", "Explosions/Remote violence", "#e67e22"],
    ["civilians", "Violence against civilians", "#8e44ad"],
    ["displacement", "Displacement", "#2e6da4"],
    ["return", "Return of refugees", "#16a085"],
    ["strategic", "Strategic developments", "#7f8c8d"],
    ["other", "Other", "#6d4c41"],
  ];

  function classOf(p) {
    if (p.event === "refugee_return") return CLASSES[4];
    for (var i = 0; i < CLASSES.length; i++) if (CLASSES[i][1] === p.event_type) return CLASSES[i];
    return CLASSES[6];
  }

  function radius(killed) {
    return killed ? Math.min(40, 5 + 3 * Math.sqrt(killed)) : 5;
  }

  // --- state --------------------------------------------------------------------------------

  var FILTER_FIELDS = ["country", "since", "until", "type", "actor", "min_killed"];
  var state = {
    brush: null, // {since, until} chosen on the timeline: narrows the map and the list
    features: [],
    selected: null,
    map: null,
    markers: null,
    markerById: {},
    fitted: false,
    series: [],
    by: "day",
  };

  function formFilters() {
    var out = {};
    FILTER_FIELDS.forEach(function (name) {
      var input = document.querySelector('#filters [name="' + name + '"]');
      var v = input && input.value.trim();
      if (v) out[name] = v;
    });
    return out;
  }

  function query(params) {
    var q = new URLSearchParams();
    Object.keys(params).forEach(function (k) {
      if (params[k] !== undefined && params[k] !== null && params[k] !== "") q.set(k, params[k]);
    });
    return q.toString();
  }

  function mapFilters() {
    var f = formFilters();
    if (state.brush) {
      if (!f.since || f.since < state.brush.since) f.since = state.brush.since;
      if (!f.until || f.until > state.brush.until) f.until = state.brush.until;
    }
    return f;
  }

  function saveHash() {
    var f = formFilters();
    if (state.brush) {
      f.brush_since = state.brush.since;
      f.brush_until = state.brush.until;
    }
    if (state.selected) f.incident = state.selected;
    var h = query(f);
    history.replaceState(null, "", h ? "#" + h : location.pathname + location.search);
  }

  function loadHash() {
    var q = new URLSearchParams(location.hash.replace(/^#/, ""));
    FILTER_FIELDS.forEach(function (name) {
      var input = document.querySelector('#filters [name="' + name + '"]');
      if (input && q.get(name)) input.value = q.get(name);
    });
    if (q.get("brush_since") && q.get("brush_until")) {
      state.brush = { since: q.get("brush_since"), until: q.get("brush_until") };
    }
    return q.get("incident");
  }

  // --- the map ------------------------------------------------------------------------------

  function initMap(config) {
    var map = L.map("map", { worldCopyJump: true, minZoom: 1, maxZoom: 12, zoomSnap: 0.5 });
    map.setView([30, 20], 2);
    map.attributionControl.setPrefix(false);
    if (config && config.tiles) {
      L.tileLayer(config.tiles, { attribution: config.tiles_attribution || "", maxZoom: 18 }).addTo(map);
    } else {
      map.attributionControl.addAttribution("Natural Earth");
      api("/static/vendor/world-atlas/countries-50m.json")
        .then(function (topo) {
          var land = topojson.feature(topo, topo.objects.countries);
          L.geoJSON(land, { interactive: false, style: { className: "country" } }).addTo(map);
          if (state.markers) state.markers.eachLayer(function (m) { m.bringToFront(); });
        })
        .catch(function (e) {
          setStatus("country outlines could not be loaded: " + e.message, true);
        });
    }
    state.map = map;
    state.markers = L.featureGroup().addTo(map);
    var legend = $("legend");
    CLASSES.forEach(function (c) {
      legend.appendChild(el("li", null, el("span", { class: "swatch c-" + c[0] }), c[1]));
    });
    legend.appendChild(el("li", { class: "muted", text: "circle size: deaths" }));
  }

  function tooltipNode(p) {
    var where = [p.location, p.country].filter(Boolean).join(", ") || "unplaced";
    var toll = [];
    if (p.killed) toll.push(fmt(p.killed) + " killed");
    if (p.injured) toll.push(fmt(p.injured) + " injured");
    if (p.displaced) toll.push(fmt(p.displaced) + " displaced");
    return el(
      "div",
      null,
      el("strong", { text: p.event.replace(/_/g, " ") + " — " + where }),
      el("br"),
      (p.date_start || "undated") + (toll.length ? " · " + toll.join(", ") : "")
    );
  }

  function drawMarkers() {
    var layer = state.markers;
    layer.clearLayers();
    state.markerById = {};
    state.features.forEach(function (f) {
      var p = f.properties;
      if (!f.geometry) return;
      var c = classOf(p);
      var ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
      var m = L.circleMarker(ll, {
        radius: radius(p.killed),
        color: "#222",
        weight: 1,
        fillColor: c[2],
        fillOpacity: 0.7,
        className: "incident-marker",
        bubblingMouseEvents: false,
      });
      m.bindTooltip(tooltipNode(p), { direction: "top" });
      m.on("click", function () {
        showIncident(p.id);
      });
      m.addTo(layer);
      var node = m.getElement();
      if (node) {
        node.setAttribute("data-id", p.id);
        node.setAttribute("data-location", p.location || "");
        node.setAttribute("data-event", p.event);
        node.setAttribute("role", "button");
        node.setAttribute("tabindex", "0");
        node.setAttribute("aria-label", p.event.replace(/_/g, " ") + " at " + (p.location || "unknown place"));
        node.addEventListener("keydown", function (ev) {
          if (ev.key === "Enter" || ev.key === " ") {
            ev.preventDefault();
            showIncident(p.id);
          }
        });
        if (p.id === state.selected) node.classList.add("selected");
      }
      state.markerById[p.id] = m;
    });
    if (!state.fitted && layer.getLayers().length) {
      state.map.fitBounds(layer.getBounds().pad(0.4), { maxZoom: 7 });
      state.fitted = true;
    }
  }

  function drawList(total) {
    var list = $("incident-list");
    clear(list);
    state.features.forEach(function (f) {
      var p = f.properties;
      var where = [p.location, p.country].filter(Boolean).join(", ") || "unplaced";
      var toll = p.killed ? fmt(p.killed) + " killed" : p.displaced ? fmt(p.displaced) + " displaced" : "";
      var b = el(
        "button",
        { type: "button", "data-id": p.id, "aria-current": p.id === state.selected ? "true" : null },
        el("span", { class: "when", text: p.date_start || "undated" }),
        el("span", { class: "what", text: p.event.replace(/_/g, " ") + " · " + where }),
        el("span", { class: "toll", text: toll })
      );
      b.addEventListener("click", function () {
        showIncident(p.id);
      });
      list.appendChild(el("li", null, b));
    });
    if (!state.features.length) list.appendChild(el("li", { class: "muted", text: "No incidents match." }));
    var shown = state.features.filter(function (f) { return f.geometry; }).length;
    var msg = total + " incident" + (total === 1 ? "" : "s") + " match";
    if (total > state.features.length) msg += "; the newest " + state.features.length + " are listed";
    msg += "; " + shown + " on the map";
    if (state.brush) msg += " (" + state.brush.since + " – " + state.brush.until + ")";
    setStatus(msg);
  }

  var loadSeq = 0;
  function loadIncidents() {
    var seq = ++loadSeq;
    var f = mapFilters();
    f.format = "geojson";
    f.limit = 2000;
    return api("/api/incidents?" + query(f))
      .then(function (fc) {
        if (seq !== loadSeq) return;
        state.features = fc.features;
        drawMarkers();
        drawList(fc.total);
        document.body.setAttribute("data-loaded", String(seq));
      })
      .catch(function (e) {
        if (seq === loadSeq) setStatus(e.message, true);
      });
  }

  // --- the timeline ---------------------------------------------------------------------------

  var DAY = 86400000;
  function toTime(iso) {
    return Date.parse(iso + "T00:00:00Z");
  }
  function toIso(t) {
    return new Date(t).toISOString().slice(0, 10);
  }
  function periodEnd(iso, by) {
    var d = new Date(toTime(iso));
    if (by === "day") return toTime(iso) + DAY;
    if (by === "week") return toTime(iso) + 7 * DAY;
    return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  }

  var timelineSeq = 0;
  function loadTimeline() {
    var seq = ++timelineSeq;
    var f = formFilters();
    function fetchBy(by) {
      return api("/api/stats?" + query(Object.assign({ by: by }, f))).then(function (s) {
        return s;
      });
    }
    return fetchBy("day")
      .then(function (s) {
        var pts = s.series;
        if (pts.length < 2) return s;
        var span = (toTime(pts[pts.length - 1].period) - toTime(pts[0].period)) / DAY;
        if (span > 3 * 365) return fetchBy("month");
        if (span > 180) return fetchBy("week");
        return s;
      })
      .then(function (s) {
        if (seq !== timelineSeq) return;
        state.series = s.series;
        state.by = s.by;
        drawTimeline();
      })
      .catch(function (e) {
        if (seq === timelineSeq) setStatus(e.message, true);
      });
  }

  var SVGNS = "http://www.w3.org/2000/svg";
  function svg(tag, attrs) {
    var node = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    return node;
  }

  var ROWS = [
    ["killed", "killed"],
    ["injured", "injured"],
    ["displaced", "displaced"],
  ];

  function drawTimeline() {
    var box = $("timeline");
    clear(box);
    var W = Math.max(280, box.clientWidth || 600);
    var left = 62, right = 10, rowH = 38, gap = 6, top = 6;
    var H = top + ROWS.length * (rowH + gap) + 18;
    var root = svg("svg", {
      viewBox: "0 0 " + W + " " + H,
      role: "img",
      "aria-label": "Killed, injured and displaced per " + state.by + "; drag to choose dates",
    });
    box.appendChild(root);
    var pts = state.series;
    if (!pts.length) {
      root.appendChild(svg("text", { x: left, y: H / 2, class: "empty", text: "No dated incidents match." }));
      state.scale = null;
      return;
    }
    var t0 = toTime(pts[0].period);
    var t1 = periodEnd(pts[pts.length - 1].period, state.by);
    if (t1 - t0 < 7 * DAY) {
      t0 -= 3 * DAY;
      t1 += 3 * DAY;
    }
    var width = W - left - right;
    function x(t) {
      return left + ((t - t0) / (t1 - t0)) * width;
    }
    state.scale = { t0: t0, t1: t1, left: left, width: width, W: W };
    ROWS.forEach(function (row, i) {
      var y0 = top + i * (rowH + gap);
      var max = Math.max.apply(null, pts.map(function (p) { return p[row[0]] || 0; }));
      root.appendChild(svg("text", { x: 0, y: y0 + 12, class: "row-label", text: row[1] }));
      root.appendChild(svg("text", { x: 0, y: y0 + 26, class: "row-label", text: "max " + fmt(max) }));
      root.appendChild(svg("line", { x1: left, x2: W - right, y1: y0 + rowH, y2: y0 + rowH, class: "baseline" }));
      if (!max) return;
      pts.forEach(function (p) {
        var v = p[row[0]] || 0;
        if (!v) return;
        var xa = x(toTime(p.period));
        var xb = x(periodEnd(p.period, state.by));
        var h = Math.max(1.5, (v / max) * rowH);
        var bar = svg("rect", {
          x: xa.toFixed(1),
          y: (y0 + rowH - h).toFixed(1),
          width: Math.max(2, xb - xa - 1).toFixed(1),
          height: h.toFixed(1),
          class: "bar-" + row[0],
        });
        bar.appendChild(svg("title", { text: p.period + ": " + fmt(v) + " " + row[1] }));
        root.appendChild(bar);
      });
    });
    var axisY = H - 4;
    root.appendChild(svg("text", { x: left, y: axisY, class: "axis", text: toIso(t0) }));
    root.appendChild(svg("text", { x: W - right, y: axisY, class: "axis", "text-anchor": "end", text: toIso(t1 - DAY) }));
    var brush = svg("rect", { class: "brush", x: 0, y: top - 2, width: 0, height: H - top - 16, visibility: "hidden" });
    root.appendChild(brush);
    state.brushRect = brush;
    showBrush();
    attachBrush(root);
  }

  function showBrush() {
    var s = state.scale, r = state.brushRect;
    if (!s || !r) return;
    if (!state.brush) {
      r.setAttribute("visibility", "hidden");
      return;
    }
    var a = Math.max(toTime(state.brush.since), s.t0);
    var b = Math.min(toTime(state.brush.until) + DAY, s.t1);
    var xa = s.left + ((a - s.t0) / (s.t1 - s.t0)) * s.width;
    var xb = s.left + ((b - s.t0) / (s.t1 - s.t0)) * s.width;
    r.setAttribute("x", xa.toFixed(1));
    r.setAttribute("width", Math.max(1, xb - xa).toFixed(1));
    r.setAttribute("visibility", "visible");
  }

  function attachBrush(root) {
    var start = null;
    function svgX(ev) {
      var rect = root.getBoundingClientRect();
      return ((ev.clientX - rect.left) / rect.width) * state.scale.W;
    }
    function timeAt(px) {
      var s = state.scale;
      var f = Math.min(1, Math.max(0, (px - s.left) / s.width));
      return s.t0 + f * (s.t1 - s.t0);
    }
    root.addEventListener("pointerdown", function (ev) {
      if (!state.scale) return;
      start = svgX(ev);
      root.setPointerCapture(ev.pointerId);
      ev.preventDefault();
    });
    root.addEventListener("pointermove", function (ev) {
      if (start === null) return;
      var cur = svgX(ev);
      var a = Math.min(start, cur), b = Math.max(start, cur);
      var r = state.brushRect;
      r.setAttribute("x", Math.max(state.scale.left, a).toFixed(1));
      r.setAttribute("width", Math.max(1, b - Math.max(state.scale.left, a)).toFixed(1));
      r.setAttribute("visibility", "visible");
    });
    function finish(ev) {
      if (start === null) return;
      var end = svgX(ev);
      var a = Math.min(start, end), b = Math.max(start, end);
      start = null;
      if (b - a < 3) {
        showBrush();
        return;
      }
      var since = toIso(timeAt(a));
      var until = toIso(timeAt(b) - 1);
      if (until < since) until = since;
      setBrush({ since: since, until: until });
    }
    root.addEventListener("pointerup", finish);
    root.addEventListener("pointercancel", function () {
      start = null;
      showBrush();
    });
  }

  function setBrush(b, quiet) {
    state.brush = b;
    $("brush-clear").hidden = !b;
    $("brush-label").textContent = b
      ? "map and list: " + b.since + " – " + b.until
      : "drag across the chart to filter the map";
    showBrush();
    if (quiet) return;
    saveHash();
    loadIncidents();
  }

  // --- one incident and its evidence ------------------------------------------------------------

  function markSelected(id) {
    state.selected = id;
    Array.prototype.forEach.call(document.querySelectorAll(".incident-marker.selected"), function (n) {
      n.classList.remove("selected");
    });
    var m = state.markerById[id];
    if (m && m.getElement()) {
      m.getElement().classList.add("selected");
      m.bringToFront();
    }
    Array.prototype.forEach.call(document.querySelectorAll("#incident-list button"), function (b) {
      if (b.getAttribute("data-id") === id) b.setAttribute("aria-current", "true");
      else b.removeAttribute("aria-current");
    });
  }

  function figureRows(figures, withReports) {
    var head = el(
      "tr",
      null,
      el("th", { text: "figure" }),
      el("th", { text: "best" }),
      el("th", { text: "low–high" }),
      el("th", { text: withReports ? "reports" : "qualifier" })
    );
    var body = el("tbody");
    figures.forEach(function (f) {
      var label = f.kind + (f.group ? " (" + f.group + ")" : "");
      body.appendChild(
        el(
          "tr",
          null,
          el("td", { text: label }),
          el("td", { class: "num", text: fmt(f.best) }),
          el("td", { class: "num", text: fmt(f.low) + "–" + fmt(f.high) }),
          el("td", { text: withReports ? String(f.n_reports) : f.qualifier || "" })
        )
      );
    });
    return el("table", { class: "figures" }, el("thead", null, head), body);
  }

  function showIncident(id) {
    markSelected(id);
    saveHash();
    var box = $("incident");
    clear(box);
    box.appendChild(el("p", { class: "muted", text: "Loading incident " + id + "…" }));
    return api("/api/incidents/" + encodeURIComponent(id))
      .then(function (rec) {
        if (state.selected !== id) return;
        renderIncident(box, rec);
      })
      .catch(function (e) {
        clear(box);
        box.appendChild(el("p", { class: "error-box", role: "alert", text: e.message }));
      });
  }

  function renderIncident(box, rec) {
    clear(box);
    var p = rec.place || {};
    var d = rec.date || {};
    var a = rec.actors || {};
    var where = [p.location, p.admin1, p.country].filter(Boolean).join(", ") || "unplaced";
    var when = d.start ? d.start + (d.end && d.end !== d.start ? " – " + d.end : "") : "undated";
    box.setAttribute("data-incident", rec.id);
    box.appendChild(el("h2", { text: rec.event.replace(/_/g, " ") + " — " + where }));
    var dl = el("dl");
    function row(k, v) {
      dl.appendChild(el("dt", { text: k }));
      dl.appendChild(el("dd", { text: v }));
    }
    row("when", when + " (" + (d.precision || "unknown") + ")");
    row("type", [rec.event_type, rec.sub_event_type].filter(Boolean).join(" · ") || "–");
    row("actors", (a.perpetrator || "–") + " → " + (a.target || "–"));
    row("sources", rec.n_sources + " independent, " + rec.n_reports + " report" + (rec.n_reports === 1 ? "" : "s") + "; " + String(rec.grade).replace(/_/g, " "));
    row("status", String(rec.status).replace(/_/g, " "));
    if (rec.cumulative) row("note", "a running total: never added into sums");
    row("id", rec.id);
    box.appendChild(dl);
    if (rec.figures && rec.figures.length) box.appendChild(figureRows(rec.figures, true));
    (rec.sources || []).forEach(function (s) {
      box.appendChild(renderSource(s));
    });
    box.focus({ preventScroll: true });
  }

  function renderSource(s) {
    var sec = el("section", { class: "source", "data-report": s.report_id });
    sec.appendChild(el("h3", { text: s.source_name || "unnamed source" }));
    var meta = el("div", { class: "meta" });
    meta.appendChild(document.createTextNode([s.published, s.lang].filter(Boolean).join(" · ")));
    if (s.title) meta.appendChild(el("div", { text: "“" + s.title + "”" }));
    var href = safeUrl(s.url);
    if (href) {
      meta.appendChild(el("div", null, el("a", { href: href, rel: "noopener noreferrer nofollow", target: "_blank", text: s.url })));
    } else if (s.url) {
      meta.appendChild(el("div", { text: s.url }));
    }
    if (s.copy_of) meta.appendChild(el("div", { text: "near-copy of report " + s.copy_of + ": not an independent source" }));
    if (s.attributed_to && s.attributed_to.length) meta.appendChild(el("div", { text: "citing " + s.attributed_to.join("; ") }));
    sec.appendChild(meta);
    if (s.figures && s.figures.length) {
      var ul = el("ul", { class: "source-figures" });
      s.figures.forEach(function (f) {
        var flags = [f.qualifier];
        if (f.hedged) flags.push("hedged");
        ul.appendChild(el("li", { text: f.kind + " " + fmt(f.best) + (f.low !== f.high ? " (" + fmt(f.low) + "–" + fmt(f.high) + ")" : "") + " · " + flags.join(", ") }));
      });
      sec.appendChild(ul);
    }
    (s.quotes || []).forEach(function (q) {
      var bq = el("blockquote", { class: "quote", "data-start": q.start });
      renderMarked(bq, q.sentence, q.highlights);
      sec.appendChild(bq);
      sec.appendChild(el("div", { class: "note", text: "characters " + q.start + "–" + q.end + " of the report" }));
    });
    var btn = el("button", { type: "button", class: "show-report", text: "Show the whole report" });
    btn.addEventListener("click", function () {
      showReport(sec, s.report_id, btn);
    });
    sec.appendChild(btn);
    return sec;
  }

  function showReport(sec, rid, btn) {
    btn.disabled = true;
    return api("/api/reports/" + encodeURIComponent(rid))
      .then(function (r) {
        btn.remove();
        if (!r.text) {
          sec.appendChild(el("p", { class: "note", text: "The text of this report was not stored." }));
          return;
        }
        var box = el("div", { class: "report-text", "data-report-text": rid });
        renderMarked(box, r.text, r.highlights);
        sec.appendChild(box);
      })
      .catch(function (e) {
        btn.disabled = false;
        sec.appendChild(el("p", { class: "error-box", role: "alert", text: e.message }));
      });
  }

  // --- the paste box ------------------------------------------------------------------------------

  function eventLine(ev) {
    var place = ev.place ? ev.place.name || ev.place.text : null;
    var figs = (ev.figures || []).map(function (f) {
      return f.kind + " " + fmt(f.best) + (f.group && f.group !== "people" ? " " + f.group : "");
    });
    return [ev.event.replace(/_/g, " "), ev.date && ev.date.start, place, figs.join(", ")].filter(Boolean).join(" · ");
  }

  function initPaste() {
    $("paste-form").addEventListener("submit", function (ev) {
      ev.preventDefault();
      var out = $("paste-result");
      var text = $("paste-text").value;
      var url = $("paste-url").value.trim();
      var body = { lang: $("paste-lang").value };
      if ($("paste-published").value) body.published = $("paste-published").value;
      if (text.trim()) body.text = text;
      else if (url) body.url = url;
      else {
        clear(out);
        out.appendChild(el("p", { class: "error-box", role: "alert", text: "Paste a text or give a URL." }));
        return;
      }
      clear(out);
      out.appendChild(el("p", { class: "muted", text: "Extracting…" }));
      $("paste-go").disabled = true;
      api("/api/extract", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) })
        .then(function (r) {
          clear(out);
          var n = r.events.length;
          var nf = r.highlights.length;
          out.appendChild(
            el("p", { class: "paste-summary", text: n + " event" + (n === 1 ? "" : "s") + ", " + nf + " figure" + (nf === 1 ? "" : "s") + " found" + (r.lang ? " (" + r.lang + ")" : "") })
          );
          var ol = el("ol", { class: "events" });
          r.events.forEach(function (e) {
            ol.appendChild(el("li", { text: eventLine(e) }));
          });
          out.appendChild(ol);
          var box = el("div", { class: "report-text", "data-paste-text": "" });
          renderMarked(box, r.text, r.highlights);
          out.appendChild(box);
        })
        .catch(function (e) {
          clear(out);
          out.appendChild(el("p", { class: "error-box", role: "alert", text: e.message }));
        })
        .then(function () {
          $("paste-go").disabled = false;
        });
    });
  }

  // --- wiring --------------------------------------------------------------------------------------

  function refresh() {
    saveHash();
    loadTimeline();
    return loadIncidents();
  }

  function initFilters() {
    var form = $("filters");
    var timer = null;
    function later() {
      clearTimeout(timer);
      timer = setTimeout(refresh, 300);
    }
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      refresh();
    });
    form.addEventListener("change", function () {
      clearTimeout(timer);
      refresh();
    });
    form.addEventListener("input", later);
    form.addEventListener("reset", function () {
      setTimeout(function () {
        setBrush(null, true);
        refresh();
      }, 0);
    });
    $("brush-clear").addEventListener("click", function () {
      setBrush(null);
    });
    var resizeTimer = null;
    window.addEventListener("resize", function () {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(function () {
        drawTimeline();
        if (state.map) state.map.invalidateSize();
      }, 150);
    });
  }

  function start() {
    var wanted = loadHash();
    if (state.brush) setBrush(state.brush, true);
    initFilters();
    initPaste();
    api("/api/config")
      .catch(function () {
        return null;
      })
      .then(function (config) {
        initMap(config);
        loadTimeline();
        return loadIncidents();
      })
      .then(function () {
        if (wanted) showIncident(wanted);
      });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
