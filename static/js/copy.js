// Copy buttons: <button data-copy="#input-id"> or <button data-copy-text="value">. Kept in a file (no inline script) so a strict CSP works.
// The asynchronous Clipboard API is tried first; where it is missing or refuses (no focus, an
// insecure origin), the selected text is copied with execCommand, and failing that the button asks
// the user to press Ctrl+C with the text already selected.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy], [data-copy-text]");
  if (!button) return;
  if (button.hasAttribute("data-copy-text")) {  // a value held by the button itself (a full SHA)
    var text = button.getAttribute("data-copy-text");
    var done = function () { button.textContent = "Copied"; };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, function () { window.prompt("Copy:", text); });
    } else {
      window.prompt("Copy:", text);
    }
    return;
  }
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
