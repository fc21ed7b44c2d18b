// The main navigation on a phone (issue 19 item 9): folded behind a "Menu" button that says which
// page is open. Without JavaScript the navigation stays one row that scrolls sideways (app.css).
document.addEventListener("DOMContentLoaded", function () {
  var button = document.querySelector(".navtoggle");
  var nav = document.getElementById("mainnav");
  if (!button || !nav) return;
  var current = nav.querySelector('[aria-current="page"]');
  if (current) button.textContent = "Menu · " + current.textContent;
  button.hidden = false;
  nav.classList.add("collapsible");
  button.addEventListener("click", function () {
    var open = nav.classList.toggle("open");
    button.setAttribute("aria-expanded", open ? "true" : "false");
  });
});
