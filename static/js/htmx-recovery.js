// When an htmx request fails, say so, and keep what the user typed.
//
// 1. A 403, a 500 or no answer at all during an htmx request shows an error banner in the alert region
//    (#request-error), which screen readers announce; the banner takes focus. Before this, nothing happened.
// 2. Forms marked data-draft-key (the action update forms) copy their fields to sessionStorage when they
//    are submitted. A save that succeeds or comes back with the form (conflict, invalid input) forgets the
//    copy. If the session had ended, the server answers HX-Redirect to sign-in: the copy is kept, and after
//    signing in the same form (same action and version) gets what was typed back, or, if that form is not
//    on the page (a table row is closed), a banner links to a page that has it.
// No inline script: the CSP allows only our own files.
(function () {
  "use strict";

  var PREFIX = "send-tracker-draft:";
  var MAX_AGE_MS = 24 * 60 * 60 * 1000;
  var KEPT_STATUSES = [200, 409, 422]; // the server answered the save itself: its response holds the text

  // ---- Error banner -------------------------------------------------------------------------------

  function showError(message, detail) {
    var region = document.getElementById("request-error");
    if (!region) {
      return;
    }
    region.textContent = "";
    var banner = document.createElement("div");
    banner.className = "notification-banner notification-banner--error";
    banner.setAttribute("tabindex", "-1");
    var heading = document.createElement("p");
    heading.className = "notification-banner__text";
    heading.textContent = message;
    banner.appendChild(heading);
    if (detail) {
      var more = document.createElement("p");
      more.textContent = detail;
      banner.appendChild(more);
    }
    region.appendChild(banner);
    banner.focus();
  }

  function clearError() {
    var region = document.getElementById("request-error");
    if (region) {
      region.textContent = "";
    }
  }

  function reasonFrom(xhr) {
    // Our 403 page says why in its first paragraph (e.g. "This plan is closed: ...").
    try {
      var doc = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
      var first = doc.querySelector("main p");
      return first ? first.textContent.trim() : "";
    } catch (e) {
      return "";
    }
  }

  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr;
    var status = xhr ? xhr.status : 0;
    if (status === 403) {
      showError("You do not have permission to do that. Nothing was saved.", reasonFrom(xhr));
    } else if (status >= 500) {
      showError(
        "Sorry, something went wrong on our side. Nothing was saved.",
        "Try again in a moment. If it keeps happening, tell your administrator."
      );
    } else {
      showError(
        "That did not work (error " + status + "). Nothing was saved.",
        "Reload the page and try again."
      );
    }
  });

  document.addEventListener("htmx:sendError", function () {
    showError(
      "The server could not be reached. Nothing was saved.",
      "Check your connection and try again."
    );
  });

  // ---- Drafts -------------------------------------------------------------------------------------

  function readDraft(key) {
    try {
      return JSON.parse(window.sessionStorage.getItem(PREFIX + key) || "null");
    } catch (e) {
      return null;
    }
  }

  function writeDraft(key, draft) {
    try {
      window.sessionStorage.setItem(PREFIX + key, JSON.stringify(draft));
    } catch (e) {
      // Storage full or disabled: the save itself goes ahead.
    }
  }

  function forgetDraft(key) {
    try {
      window.sessionStorage.removeItem(PREFIX + key);
    } catch (e) {
      // Nothing to forget.
    }
  }

  function draftFields(form) {
    return form.querySelectorAll("textarea[name], select[name]");
  }

  function draftFormOf(element) {
    return element && element.closest ? element.closest("form[data-draft-key]") : null;
  }

  document.addEventListener(
    "submit",
    function (event) {
      var form = draftFormOf(event.target);
      if (!form) {
        return;
      }
      var fields = {};
      draftFields(form).forEach(function (field) {
        fields[field.name] = field.value;
      });
      writeDraft(form.getAttribute("data-draft-key"), {
        fields: fields,
        label: form.getAttribute("data-draft-label") || "",
        resume: form.getAttribute("data-draft-resume") || "",
        signedOut: false,
        at: Date.now(),
      });
    },
    true
  );

  // Before htmx acts on the answer (and before it follows HX-Redirect), while the form is still there.
  document.addEventListener("htmx:beforeOnLoad", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && KEPT_STATUSES.indexOf(xhr.status) !== -1 && !xhr.getResponseHeader("HX-Redirect")) {
      clearError();
    }
    var form = draftFormOf(event.detail.elt);
    if (!form || !xhr) {
      return;
    }
    var key = form.getAttribute("data-draft-key");
    if (xhr.getResponseHeader("HX-Redirect")) {
      var draft = readDraft(key);
      if (draft) {
        draft.signedOut = true;
        writeDraft(key, draft);
      }
    } else if (KEPT_STATUSES.indexOf(xhr.status) !== -1) {
      forgetDraft(key);
    }
  });

  function restoreInto(form) {
    var key = form.getAttribute("data-draft-key");
    var draft = readDraft(key);
    if (!draft || !draft.signedOut) {
      return false;
    }
    draftFields(form).forEach(function (field) {
      if (Object.prototype.hasOwnProperty.call(draft.fields, field.name)) {
        field.value = draft.fields[field.name];
      }
    });
    draft.signedOut = false; // restored once; kept until a save succeeds
    writeDraft(key, draft);
    var notice = document.createElement("div");
    notice.className = "notification-banner draft-restored";
    notice.setAttribute("role", "status");
    var text = document.createElement("p");
    text.className = "notification-banner__text";
    text.textContent =
      "You were signed out before your update was saved. What you typed has been put back: check it and save.";
    notice.appendChild(text);
    form.insertBefore(notice, form.firstChild);
    return true;
  }

  function restoreDrafts(root) {
    var forms = root.querySelectorAll ? root.querySelectorAll("form[data-draft-key]") : [];
    var restored = {};
    forms.forEach(function (form) {
      if (restoreInto(form)) {
        restored[form.getAttribute("data-draft-key")] = true;
      }
    });
    if (root.matches && root.matches("form[data-draft-key]") && restoreInto(root)) {
      restored[root.getAttribute("data-draft-key")] = true;
    }
    return restored;
  }

  function pointToDraftsElsewhere() {
    var messages = document.getElementById("messages");
    if (!messages) {
      return;
    }
    for (var i = window.sessionStorage.length - 1; i >= 0; i--) {
      var name = window.sessionStorage.key(i);
      if (!name || name.indexOf(PREFIX) !== 0) {
        continue;
      }
      var draft = readDraft(name.slice(PREFIX.length));
      if (!draft || Date.now() - draft.at > MAX_AGE_MS) {
        window.sessionStorage.removeItem(name);
        continue;
      }
      if (!draft.signedOut || !draft.resume) {
        continue;
      }
      var banner = document.createElement("div");
      banner.className = "notification-banner notification-banner--warning";
      banner.setAttribute("role", "status");
      var text = document.createElement("p");
      text.className = "notification-banner__text";
      text.textContent = "You were signed out before your update of " + draft.label + " was saved. ";
      var link = document.createElement("a");
      link.href = draft.resume;
      link.textContent = "Continue your update of " + draft.label;
      text.appendChild(link);
      banner.appendChild(text);
      messages.appendChild(banner);
    }
  }

  function onReady() {
    restoreDrafts(document);
    pointToDraftsElsewhere();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onReady);
  } else {
    onReady();
  }
  // A form that arrives later (the update form opened in a table row) gets its draft back too.
  document.addEventListener("htmx:load", function (event) {
    if (event.detail && event.detail.elt && event.detail.elt !== document.body) {
      restoreDrafts(event.detail.elt);
    }
  });
})();
