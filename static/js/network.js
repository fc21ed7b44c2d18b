// The network diagram (templates/ui/network.html): cytoscape.js draws the graph from the JSON the
// page embeds; an application links to its page, an integration to its pact. No inline script (CSP).
(function () {
  var data = JSON.parse(document.getElementById("network-data").textContent);
  var colours = { success: "#18794e", failed: "#b42318", failed_pending: "#b42318", stale: "#a15c07", never: "#8a93a6" };
  var many = data.nodes.length > 40;
  var container = document.getElementById("network");
  // When the layout is done (the browser tests time it): milliseconds since navigation started.
  function laidOut() {
    window.brokerNetworkLaidOutAt = performance.now();
    container.setAttribute("data-laid-out", "true");
  }
  var cy = cytoscape({
    container: document.getElementById("network"),
    elements: { nodes: data.nodes, edges: data.edges },
    wheelSensitivity: 0.3,
    minZoom: 0.2,
    maxZoom: 1.6,
    style: [
      { selector: "node", style: {
          "label": "data(label)", "font-size": many ? 10 : 13, "color": "#1d2330",
          "text-valign": "bottom", "text-margin-y": 4, "background-color": "#2d5bd7",
          "width": many ? 14 : 22, "height": many ? 14 : 22,
          "text-background-color": "#ffffff", "text-background-opacity": 0.8, "text-background-padding": 2 } },
      { selector: "node:selected", style: { "background-color": "#1b3c99", "border-width": 3, "border-color": "#94b3ff" } },
      { selector: "edge", style: {
          "curve-style": "bezier", "target-arrow-shape": "triangle", "width": 2.5, "arrow-scale": 1.1,
          "line-color": function (e) { return colours[e.data("status")] || colours.never; },
          "target-arrow-color": function (e) { return colours[e.data("status")] || colours.never; },
          "line-style": function (e) { return e.data("status") === "never" || e.data("status") === "stale" ? "dashed" : "solid"; } } },
      { selector: "edge:selected", style: { "width": 5 } },
      { selector: ".faded", style: { "opacity": 0.15 } }
    ],
    // Small graphs read best as layers (consumers above their providers); large ones need the
    // force-directed layout to untangle.
    layout: many
      ? { name: "cose", animate: false, randomize: true, nodeRepulsion: 9000, idealEdgeLength: 70,
          numIter: 1500, padding: 20, componentSpacing: 60, stop: laidOut }
      : { name: "breadthfirst", directed: true, spacingFactor: 1.3, padding: 30, animate: false, stop: laidOut }
  });
  cy.on("tap", "node, edge", function (event) { window.location.href = event.target.data("href"); });
  cy.on("mouseover", "node", function (event) {
    var hood = event.target.closedNeighborhood();
    cy.elements().not(hood).addClass("faded");
    document.getElementById("network").style.cursor = "pointer";
  });
  cy.on("mouseout", "node", function () {
    cy.elements().removeClass("faded");
    document.getElementById("network").style.cursor = "";
  });
  cy.on("mouseover", "edge", function (event) {
    var e = event.target;
    document.getElementById("network").title = e.data("consumer") + " → " + e.data("provider") + ": " + e.data("statusText");
  });
  window.brokerNetwork = cy;  // for the browser tests
})();
