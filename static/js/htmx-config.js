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

// After a full-page submit refused with errors, move focus to the error summary (GOV.UK's pattern), so
// keyboard and screen-reader users start from the list of what to fix.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector(".error-summary");
  if (summary) {
    if (!summary.hasAttribute("tabindex")) {
      summary.setAttribute("tabindex", "-1");
    }
    summary.focus();
  }
});

// A table wider than the screen scrolls inside its wrapper; make that region reachable and scrollable by
// keyboard (WCAG 2.1.1), named after its table, only while it actually scrolls.
function markScrollableRegions() {
  document.querySelectorAll(".table-wrapper").forEach(function (wrapper) {
    if (wrapper.scrollWidth > wrapper.clientWidth + 1) {
      if (!wrapper.hasAttribute("tabindex")) {
        var caption = wrapper.querySelector("caption");
        wrapper.setAttribute("tabindex", "0");
        wrapper.setAttribute("role", "region");
        wrapper.setAttribute("aria-label", (caption && caption.textContent.trim()) || "Table");
        wrapper.dataset.scrollRegion = "js";
      }
    } else if (wrapper.dataset.scrollRegion === "js") {
      wrapper.removeAttribute("tabindex");
      wrapper.removeAttribute("role");
      wrapper.removeAttribute("aria-label");
      delete wrapper.dataset.scrollRegion;
    }
  });
}
document.addEventListener("DOMContentLoaded", markScrollableRegions);
document.addEventListener("htmx:afterSettle", markScrollableRegions);
window.addEventListener("resize", markScrollableRegions);
