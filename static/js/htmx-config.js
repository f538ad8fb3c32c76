// After an htmx swap, move focus to the element the server marked with data-focus-after-swap, so
// keyboard and screen-reader users land on the result of what they did (an error summary, the updated
// row) instead of losing focus when the element they were on is replaced.
document.addEventListener("htmx:afterSettle", function () {
  var target = document.querySelector("[data-focus-after-swap]");
  if (!target) {
    return;
  }
  target.removeAttribute("data-focus-after-swap");
  if (!target.hasAttribute("tabindex")) {
    target.setAttribute("tabindex", "-1");
  }
  target.focus();
});

// The server sends HX-Trigger {"announce": {"message": "..."}} after a save: say it to screen readers.
document.addEventListener("announce", function (event) {
  var region = document.getElementById("live-status");
  if (region && event.detail && event.detail.message) {
    region.textContent = "";
    window.setTimeout(function () { region.textContent = event.detail.message; }, 50);
  }
});
