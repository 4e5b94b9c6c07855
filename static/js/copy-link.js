// Copy buttons: <button data-copy-target="ID"> copies the value of the input
// with that id. A static file, not inline script: the CSP allows only 'self'.
(function () {
  "use strict";

  function announce(button, text) {
    var scope = button.closest(".card-body") || document;
    var status = scope.querySelector(".copy-status");
    if (status) { status.textContent = text; }
  }

  function fallbackCopy(input) {
    input.focus();
    input.select();
    try { return document.execCommand("copy"); } catch (error) { return false; }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy-target]");
    if (!button) { return; }
    var input = document.getElementById(button.getAttribute("data-copy-target"));
    if (!input) { return; }
    var done = function () { announce(button, "Link copied to the clipboard."); };
    var failed = function () {
      input.select();
      announce(button, "Could not copy: the link is selected, press Ctrl+C (or ⌘C).");
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(done, function () {
        if (fallbackCopy(input)) { done(); } else { failed(); }
      });
    } else if (fallbackCopy(input)) {
      done();
    } else {
      failed();
    }
  });
})();
