// Copy buttons: <button data-copy="#input-id">. Kept in a file (no inline script) so a strict CSP works.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button) return;
  var field = document.querySelector(button.getAttribute("data-copy"));
  if (!field) return;
  field.select();
  var done = function () { button.textContent = "Copied"; };
  if (navigator.clipboard) { navigator.clipboard.writeText(field.value).then(done); }
  else { document.execCommand("copy"); done(); }
});
