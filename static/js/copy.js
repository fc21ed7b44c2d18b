// Copy buttons: <button data-copy="#input-id">. Kept in a file (no inline script) so a strict CSP works.
// The asynchronous Clipboard API is tried first; where it is missing or refuses (no focus, an
// insecure origin), the selected text is copied with execCommand, and failing that the button asks
// the user to press Ctrl+C with the text already selected.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button) return;
  var field = document.querySelector(button.getAttribute("data-copy"));
  if (!field) return;
  field.select();
  var say = function (text) { button.textContent = text; };
  var fallback = function () {
    field.select();
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
    say(copied ? "Copied" : "Press Ctrl+C to copy");
  };
  if (navigator.clipboard && navigator.clipboard.writeText) {
    navigator.clipboard.writeText(field.value).then(function () { say("Copied"); }, fallback);
  } else {
    fallback();
  }
});
