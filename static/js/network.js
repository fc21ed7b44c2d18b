// The network diagram (templates/ui/network.html, and an application's own network on its page):
// cytoscape.js draws the graph from the JSON the page embeds; an application links to its page, an
// integration to its pact. No inline script (CSP).
//
// Layout: fCoSE (cytoscape-fcose, vendored), a force-directed layout that takes each node's real
// size into account, so at 200 applications the boxes spread out instead of overlapping. Each
// application is a box around its name (the label inside the node), so "no overlapping boxes" also
// means no overlapping names. Without the extension (a page that does not load it) the diagram falls
// back to cytoscape's own layouts.
//
// The full page adds a toolbar (network.html): find an application and focus on it with its
// neighbours (the rest faded), zoom in and out (buttons; the mouse wheel works too), fit, show all.
// `?focus=NAME` opens the page focused on that application.
(function () {
  var container = document.getElementById("network");
  if (!container) return;
  var data = JSON.parse(document.getElementById("network-data").textContent);
  var colours = { success: "#18794e", failed: "#b42318", failed_pending: "#b42318", stale: "#a15c07", never: "#8a93a6" };
  var FONT_SIZE = 13, FONT_FAMILY = "Helvetica Neue, Helvetica, Arial, sans-serif";
  var status = document.getElementById("network-status");
  var focused = null;

  // Each box is as wide as its name (measured with the font cytoscape draws it in).
  var measure = document.createElement("canvas").getContext("2d");
  measure.font = FONT_SIZE + "px " + FONT_FAMILY;
  data.nodes.forEach(function (node) {
    node.data.w = Math.ceil(measure.measureText(node.data.label).width) + 18;
  });

  // A force-directed layout settles with boxes apart but promises it for none: push any two boxes
  // that still touch apart along the shorter way out (a few passes; at 200 applications it moves
  // a handful of them a few pixels), then fit the graph again.
  function separate() {
    var GAP = 6, nodes = cy.nodes().toArray();
    for (var pass = 0; pass < 100; pass++) {
      var moved = false;
      var boxes = nodes.map(function (n) { return { node: n, p: n.position(), w: n.outerWidth() + GAP, h: n.outerHeight() + GAP }; });
      for (var i = 0; i < boxes.length; i++) {
        for (var j = i + 1; j < boxes.length; j++) {
          var a = boxes[i], b = boxes[j];
          var dx = b.p.x - a.p.x, dy = b.p.y - a.p.y;
          var ox = (a.w + b.w) / 2 - Math.abs(dx), oy = (a.h + b.h) / 2 - Math.abs(dy);
          if (ox <= 0 || oy <= 0) continue;
          moved = true;
          if (ox < oy) {
            var sx = (dx < 0 ? -1 : 1) * (ox / 2 + 0.5);
            a.p = { x: a.p.x - sx, y: a.p.y }; b.p = { x: b.p.x + sx, y: b.p.y };
          } else {
            var sy = (dy < 0 ? -1 : 1) * (oy / 2 + 0.5);
            a.p = { x: a.p.x, y: a.p.y - sy }; b.p = { x: b.p.x, y: b.p.y + sy };
          }
        }
      }
      cy.batch(function () { boxes.forEach(function (box) { box.node.position(box.p); }); });
      if (!moved) break;
    }
    fitTo(cy.elements());
  }

  // Fit the view to some elements, never closer than 150% (a handful of boxes would fill the screen).
  function fitTo(eles) {
    cy.fit(eles, eles.length === cy.elements().length ? 24 : 40);
    if (cy.zoom() > 1.5) {
      cy.zoom(1.5);
      cy.center(eles);
    }
  }

  // When the layout is done (the browser tests time it): milliseconds since navigation started.
  function laidOut() {
    separate();
    window.brokerNetworkLayoutMs = performance.now() - layoutStarted;
    window.brokerNetworkLaidOutAt = performance.now();
    container.setAttribute("data-laid-out", "true");
    var wanted = new URLSearchParams(window.location.search).get("focus");
    if (wanted) focus(wanted);
  }

  var layout = typeof cytoscapeFcose !== "undefined"
    ? { name: "fcose", quality: "default", randomize: true, animate: false, fit: true, padding: 24,
        nodeDimensionsIncludeLabels: true, packComponents: true, nodeSeparation: 90,
        nodeRepulsion: function () { return 12000; }, idealEdgeLength: function () { return 90; },
        edgeElasticity: function () { return 0.3; }, gravity: 0.2, numIter: 2500, stop: laidOut }
    : { name: "cose", animate: false, randomize: true, nodeRepulsion: 9000, idealEdgeLength: 70,
        nodeDimensionsIncludeLabels: true, padding: 20, stop: laidOut };

  var cy = cytoscape({
    container: container,
    elements: { nodes: data.nodes, edges: data.edges },
    wheelSensitivity: 0.4,
    minZoom: 0.05,
    maxZoom: 4,
    style: [
      { selector: "node", style: {
          "shape": "round-rectangle", "label": "data(label)", "width": "data(w)", "height": 26,
          "font-size": FONT_SIZE, "font-family": FONT_FAMILY, "color": "#ffffff",
          "text-valign": "center", "text-halign": "center", "background-color": "#2d5bd7",
          "border-width": 1, "border-color": "#1b3c99" } },
      { selector: "node:selected, node.focused", style: { "background-color": "#1b3c99", "border-width": 3, "border-color": "#f0b429" } },
      { selector: "edge", style: {
          "curve-style": "bezier", "target-arrow-shape": "triangle", "width": 2, "arrow-scale": 1.1,
          "line-color": function (e) { return colours[e.data("status")] || colours.never; },
          "target-arrow-color": function (e) { return colours[e.data("status")] || colours.never; },
          "line-style": function (e) { return e.data("status") === "never" || e.data("status") === "stale" ? "dashed" : "solid"; } } },
      { selector: "edge:selected", style: { "width": 5 } },
      { selector: ".faded", style: { "opacity": 0.12 } }
    ]
  });
  var layoutStarted = performance.now();
  cy.layout(layout).run();  // after construction, so the layout's stop callback sees `cy`

  function say(text) { if (status) status.textContent = text; }

  function fade(hood) {
    cy.batch(function () {
      cy.elements().removeClass("faded");
      if (hood) cy.elements().not(hood).addClass("faded");
    });
  }

  // The application named `query` (exactly, ignoring case), else the first whose name contains it.
  function find(query) {
    var wanted = query.trim().toLowerCase();
    if (!wanted) return null;
    var exact = cy.nodes().filter(function (n) {
      return n.data("name").toLowerCase() === wanted || n.data("label").toLowerCase() === wanted;
    });
    if (exact.length) return exact[0];
    var partial = cy.nodes().filter(function (n) {
      return n.data("name").toLowerCase().indexOf(wanted) >= 0 || n.data("label").toLowerCase().indexOf(wanted) >= 0;
    }).sort(function (a, b) { return a.data("name").localeCompare(b.data("name")); });
    return partial.length ? partial[0] : null;
  }

  function focus(query) {
    var node = find(query);
    if (!node) {
      say("No application matches “" + query.trim() + "”.");
      return null;
    }
    var hood = node.closedNeighborhood();
    cy.nodes().removeClass("focused");
    node.addClass("focused");
    focused = node;
    fade(hood);
    fitTo(hood);
    var consumers = node.incomers("node").length, providers = node.outgoers("node").length;
    say(node.data("label") + ": " + consumers + " consumer" + (consumers === 1 ? "" : "s") + ", " + providers +
        " provider" + (providers === 1 ? "" : "s") + "; the other applications are faded.");
    return node;
  }

  function showAll() {
    focused = null;
    cy.nodes().removeClass("focused");
    fade(null);
    fitTo(cy.elements());
    say("All " + cy.nodes().length + " applications.");
  }

  function zoomBy(factor) {
    cy.zoom({ level: cy.zoom() * factor, renderedPosition: { x: cy.width() / 2, y: cy.height() / 2 } });
  }

  cy.on("tap", "node, edge", function (event) { window.location.href = event.target.data("href"); });
  cy.on("mouseover", "node", function (event) {
    if (!focused) fade(event.target.closedNeighborhood());
    container.style.cursor = "pointer";
  });
  cy.on("mouseout", "node", function () {
    if (!focused) fade(null);
    container.style.cursor = "";
  });
  cy.on("mouseover", "edge", function (event) {
    var e = event.target;
    container.title = e.data("consumer") + " → " + e.data("provider") + ": " + e.data("statusText");
  });

  // The toolbar of the full page (absent on an application's page).
  var form = document.getElementById("network-search");
  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var query = form.elements.focus.value;
      var node = query.trim() ? focus(query) : (showAll(), null);
      var url = new URL(window.location.href);
      if (node) url.searchParams.set("focus", node.data("name")); else url.searchParams.delete("focus");
      window.history.replaceState(null, "", url);
    });
  }
  function on(id, handler) {
    var button = document.getElementById(id);
    if (button) button.addEventListener("click", handler);
  }
  on("network-zoom-in", function () { zoomBy(1.25); });
  on("network-zoom-out", function () { zoomBy(0.8); });
  on("network-fit", function () { fitTo(focused ? focused.closedNeighborhood() : cy.elements()); });
  on("network-show-all", function () {
    if (form) form.elements.focus.value = "";
    var url = new URL(window.location.href);
    url.searchParams.delete("focus");
    window.history.replaceState(null, "", url);
    showAll();
  });

  window.brokerNetwork = cy;  // for the browser tests
  window.brokerNetworkFocus = focus;
})();
