// The HAL browser: shows the API resource named after `#` (its links, embedded resources and
// properties) and follows links in place. Requests go through the API's own authentication (the
// signed-in session); nothing here is trusted from the answer but its JSON.
(function () {
  "use strict";
  var main = document.getElementById("resource");
  var form = document.getElementById("go");
  var input = document.getElementById("path");

  function el(tag, text) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function localPath(href) {
    try {
      var url = new URL(href, window.location.href);
      return url.origin === window.location.origin ? url.pathname + url.search : null;
    } catch (e) {
      return null;
    }
  }

  function linkRow(table, rel, link) {
    var row = table.insertRow();
    row.insertCell().textContent = rel;
    row.insertCell().textContent = link.title || link.name || "";
    var cell = row.insertCell();
    var path = link.templated ? null : localPath(link.href);
    if (path) {
      var a = el("a", link.href);
      a.href = "#" + path;
      cell.appendChild(a);
    } else {
      cell.appendChild(el("code", link.href));
    }
  }

  function render(path, status, body) {
    main.replaceChildren();
    main.appendChild(el("h2", "GET " + path + " → " + status));
    if (body && typeof body === "object" && body._links) {
      main.appendChild(el("h3", "Links"));
      var table = el("table");
      Object.keys(body._links).forEach(function (rel) {
        var links = body._links[rel];
        (Array.isArray(links) ? links : [links]).forEach(function (link) {
          linkRow(table, rel, link);
        });
      });
      main.appendChild(table);
    }
    if (body && typeof body === "object" && body._embedded) {
      main.appendChild(el("h3", "Embedded resources"));
      main.appendChild(el("pre", JSON.stringify(body._embedded, null, 2)));
    }
    var properties = body;
    if (body && typeof body === "object" && !Array.isArray(body)) {
      properties = {};
      Object.keys(body).forEach(function (key) {
        if (key !== "_links" && key !== "_embedded") properties[key] = body[key];
      });
    }
    main.appendChild(el("h3", "Properties"));
    main.appendChild(el("pre", typeof properties === "string" ? properties : JSON.stringify(properties, null, 2)));
  }

  function load() {
    var path = window.location.hash.slice(1) || "/";
    input.value = path;
    fetch(path, { headers: { Accept: "application/hal+json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.text().then(function (text) {
          var body = text;
          try {
            body = JSON.parse(text);
          } catch (e) {}
          render(path, response.status, body);
        });
      })
      .catch(function (error) {
        render(path, "failed", String(error));
      });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    window.location.hash = input.value || "/";
  });
  window.addEventListener("hashchange", load);
  load();
})();
