// Destructive buttons ask first: <button data-confirm="Revoke the token “ci”?">. Kept in a file (no
// inline script) so a strict CSP works; without JavaScript the action runs as before.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.getAttribute("data-confirm"))) {
    event.preventDefault();
  }
});
