/// The HTML report's style sheet and script, inlined into every page (no file is fetched).
///
/// The script does three things, and the page reads fully without it: it turns every SVG
/// `<title>` into a tooltip that follows the pointer; it zooms and pans the Gantt (buttons, a drag
/// across the chart to zoom to that span, Ctrl and the wheel), redrawing its axis for the hours
/// shown; and it opens every `<details>` before printing.
enum ReportAssets {
  static let css = """
    :root { --ink: #1f2328; --muted: #57606a; --rule: #d0d7de; --panel: #f6f8fa; }
    * { box-sizing: border-box; }
    body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
      margin: 0 auto; max-width: 1280px; padding: 0 24px 48px; }
    header h1 { font-size: 24px; margin: 24px 0 4px; }
    .meta { color: var(--muted); margin: 2px 0; }
    code { font: 13px ui-monospace, SFMono-Regular, Menlo, monospace; background: var(--panel);
      padding: 1px 4px; border-radius: 4px; }
    nav ul { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 6px 16px;
      border-bottom: 1px solid var(--rule); padding-bottom: 10px; }
    nav a { color: #0969da; text-decoration: none; }
    section { margin: 28px 0; }
    h2 { font-size: 20px; border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
    h3 { font-size: 16px; margin: 20px 0 6px; }
    .lead { color: var(--muted); margin-top: -4px; }
    .cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 12px 0 20px; }
    .card { background: var(--panel); border: 1px solid var(--rule); border-radius: 8px;
      padding: 10px 14px; min-width: 220px; }
    .card-name { color: var(--muted); font-size: 13px; }
    .card-value { font-size: 22px; font-weight: 600; }
    .card-spread { color: var(--muted); font-size: 13px; }
    figure { margin: 12px 0; }
    figcaption { color: var(--muted); font-size: 13px; }
    .pair { display: flex; flex-wrap: wrap; gap: 16px; }
    svg.chart, svg.gantt { max-width: 100%; height: auto; display: block; }
    table { border-collapse: collapse; margin: 10px 0; font-size: 13px; }
    th, td { border-bottom: 1px solid var(--rule); padding: 4px 10px; text-align: left;
      vertical-align: top; }
    th { background: var(--panel); }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
    td.name { white-space: nowrap; }
    pre { background: var(--panel); border: 1px solid var(--rule); border-radius: 6px;
      padding: 10px; overflow-x: auto; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, monospace; }
    .zoom { display: flex; gap: 8px; align-items: center; margin: 8px 0; }
    .zoom button { font: inherit; font-size: 13px; padding: 3px 10px; border: 1px solid var(--rule);
      background: white; border-radius: 6px; cursor: pointer; }
    .zoom-state { color: var(--muted); font-size: 13px; }
    .gantt-frame { border: 1px solid var(--rule); border-radius: 6px; overflow: hidden; }
    .gantt-frame svg { cursor: crosshair; user-select: none; }
    .tip { position: fixed; pointer-events: none; background: rgba(31, 35, 40, 0.92); color: white;
      font-size: 12px; padding: 5px 8px; border-radius: 4px; max-width: 420px; z-index: 10; }
    .empty { color: var(--muted); font-style: italic; }
    @media print {
      body { max-width: none; padding: 0; font-size: 11pt; }
      nav, .zoom, .tip, .screen-only { display: none; }
      figure, table, .card, .phase-step figure { break-inside: avoid; }
      h2, h3 { break-after: avoid; }
      .gantt-frame { border: none; }
      pre { white-space: pre-wrap; }
      a { color: inherit; }
    }
    """

  static let script = """
    (function () {
      "use strict";
      var svgNS = "http://www.w3.org/2000/svg";
      var tip = document.createElement("div");
      tip.className = "tip";
      tip.style.display = "none";
      document.body.appendChild(tip);
      Array.prototype.forEach.call(document.querySelectorAll("svg title"), function (title) {
        var shape = title.parentNode;
        if (shape.tagName.toLowerCase() === "svg") return;
        shape.setAttribute("data-tip", title.textContent);
        shape.removeChild(title);
      });
      document.addEventListener("mousemove", function (event) {
        var target = event.target.closest ? event.target.closest("[data-tip]") : null;
        if (!target) { tip.style.display = "none"; return; }
        tip.textContent = target.getAttribute("data-tip");
        tip.style.display = "block";
        var x = Math.min(event.clientX + 14, window.innerWidth - tip.offsetWidth - 8);
        tip.style.left = x + "px";
        tip.style.top = (event.clientY + 16) + "px";
      });

      function grouped(value, decimals) {
        return (value + 0).toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
      }
      // As many decimals as a tick step needs (0.5: 1, 0.02: 2), like SVG.tickLabel.
      function decimalsFor(step) {
        return step >= 1 || !(step > 0) ? 0 : Math.min(6, Math.ceil(-Math.log10(step) - 1e-9));
      }
      function tickStep(span, target) {
        if (!(span > 0)) return 1;
        var raw = span / target, magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        var factors = [1, 2, 5, 10];
        for (var i = 0; i < factors.length; i++) if (factors[i] * magnitude >= raw) return factors[i] * magnitude;
        return 10 * magnitude;
      }
      function element(name, attributes, text) {
        var node = document.createElementNS(svgNS, name);
        for (var key in attributes) node.setAttribute(key, attributes[key]);
        if (text !== undefined) node.textContent = text;
        return node;
      }

      function Gantt(svg, controls) {
        var left = +svg.dataset.left, width = +svg.dataset.plotWidth, top = +svg.dataset.top;
        var height = +svg.dataset.plotHeight, start = +svg.dataset.startHours, end = +svg.dataset.endHours;
        var zoom = svg.querySelector(".gantt-zoom"), axis = svg.querySelector(".gantt-axis");
        var view = [start, end], state = controls.querySelector(".zoom-state");
        var widened = zoom.querySelectorAll("[data-w]");
        function x(hours) { return left + (hours - view[0]) / (view[1] - view[0]) * width; }
        function drawAxis() {
          while (axis.firstChild) axis.removeChild(axis.firstChild);
          var target = Math.max(2, width / 90);
          var span = view[1] - view[0], step = tickStep(span, target), bottom = top + height;
          var first = Math.ceil(view[0] / step - 1e-9);
          for (var i = 0, t = first * step; t <= view[1] + step * 1e-9 && i < 1000; i++, t = (first + i) * step) {
            axis.appendChild(element("line", { x1: x(t), y1: top, x2: x(t), y2: bottom, stroke: "#e0e0e0" }));
            axis.appendChild(element("text", { x: x(t), y: bottom + 16, "text-anchor": "middle" },
              grouped(t, decimalsFor(step))));
          }
          axis.appendChild(element("text", { x: left + width / 2, y: bottom + 34, "text-anchor": "middle" },
            "hours from the start of the program"));
          if (span >= 48) {
            var dayStep = Math.max(1, tickStep(span / 24, target));
            var firstDay = Math.ceil(view[0] / 24 / dayStep - 1e-9);
            for (var j = 0, d = firstDay * dayStep; d * 24 <= view[1] + 1e-9 && j < 1000; j++, d = (firstDay + j) * dayStep) {
              axis.appendChild(element("line", { x1: x(d * 24), y1: top - 10, x2: x(d * 24), y2: top, stroke: "#888888" }));
              axis.appendChild(element("text", { x: x(d * 24), y: top - 14, "text-anchor": "middle", fill: "#555555" },
                "day " + grouped(d, 0)));
            }
          }
        }
        function apply() {
          var k = (end - start) / (view[1] - view[0]);
          var tx = left * (1 - k) - k * (view[0] - start) / (end - start) * width;
          zoom.setAttribute("transform", "translate(" + tx + ",0) scale(" + k + ",1)");
          // Pauses drawn wider than their hours (data-x, data-w: their true place) stay 1.5 px
          // on screen instead of growing with the zoom.
          Array.prototype.forEach.call(widened, function (shape) {
            var x0 = +shape.dataset.x, w0 = +shape.dataset.w, least = 1.5 / k;
            var w = Math.max(w0, least);
            shape.setAttribute("x", x0 + (w0 - w) / 2);
            shape.setAttribute("width", w);
          });
          drawAxis();
          var places = decimalsFor((view[1] - view[0]) / 10) + 1;
          state.textContent = k > 1.0001
            ? "showing " + grouped(view[0], places) + "–" + grouped(view[1], places) + " h (" +
              grouped(k, 1) + "×)"
            : "";
        }
        function show(a, b) {
          var span = Math.max(b - a, (end - start) / 4096);
          span = Math.min(span, end - start);
          a = Math.max(start, Math.min(a, end - span));
          view = [a, a + span];
          apply();
        }
        function hoursAt(clientX) {
          var box = svg.getBoundingClientRect(), scale = box.width / svg.viewBox.baseVal.width;
          var px = (clientX - box.left) / scale;
          return view[0] + (px - left) / width * (view[1] - view[0]);
        }
        controls.addEventListener("click", function (event) {
          var kind = event.target.getAttribute("data-zoom");
          var middle = (view[0] + view[1]) / 2, span = view[1] - view[0];
          if (kind === "in") show(middle - span / 4, middle + span / 4);
          if (kind === "out") show(middle - span, middle + span);
          if (kind === "reset") show(start, end);
        });
        var dragFrom = null, band = null;
        svg.addEventListener("mousedown", function (event) {
          if (event.button !== 0) return;
          if (band) { svg.removeChild(band); band = null; }
          dragFrom = event.clientX;
          band = element("rect", { y: top, height: height, fill: "#0969da", "fill-opacity": 0.15 });
          svg.appendChild(band);
        });
        svg.addEventListener("mousemove", function (event) {
          if (dragFrom === null) return;
          var box = svg.getBoundingClientRect(), scale = box.width / svg.viewBox.baseVal.width;
          var a = (Math.min(dragFrom, event.clientX) - box.left) / scale;
          band.setAttribute("x", a);
          band.setAttribute("width", Math.abs(event.clientX - dragFrom) / scale);
        });
        window.addEventListener("mouseup", function (event) {
          if (dragFrom === null) return;
          if (Math.abs(event.clientX - dragFrom) > 4) {
            var a = hoursAt(Math.min(dragFrom, event.clientX)), b = hoursAt(Math.max(dragFrom, event.clientX));
            show(a, b);
          }
          dragFrom = null;
          if (band) { svg.removeChild(band); band = null; }
        });
        svg.addEventListener("wheel", function (event) {
          if (!event.ctrlKey) return;
          event.preventDefault();
          var at = hoursAt(event.clientX), factor = event.deltaY < 0 ? 0.8 : 1.25;
          show(at - (at - view[0]) * factor, at + (view[1] - at) * factor);
        }, { passive: false });
        apply();
      }
      Array.prototype.forEach.call(document.querySelectorAll(".zoom[data-for]"), function (controls) {
        var svg = document.getElementById(controls.getAttribute("data-for"));
        if (svg) Gantt(svg, controls);
      });
      window.addEventListener("beforeprint", function () {
        Array.prototype.forEach.call(document.querySelectorAll("details"), function (d) { d.open = true; });
      });
    })();
    """
}
