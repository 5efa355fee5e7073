/* Small progressive enhancements; every page works without this file. */
(function () {
  "use strict";

  // A form being sent says so, and is not sent twice.
  document.querySelectorAll("form[data-busy-form]").forEach(function (form) {
    var button = form.querySelector("button[data-busy-text]");
    if (!button) return;
    var label = button.querySelector("span") || button;
    var idle = label.textContent;
    form.addEventListener("submit", function () {
      form.setAttribute("aria-busy", "true");
      label.textContent = button.getAttribute("data-busy-text");
      window.setTimeout(function () { button.disabled = true; }, 0);
    });
    // Back to this page from the browser's history: ready again.
    window.addEventListener("pageshow", function () {
      form.removeAttribute("aria-busy");
      label.textContent = idle;
      button.disabled = false;
    });
  });

  // Enter checks the number; Shift+Enter still makes a new line for pasted messages.
  document.querySelectorAll("textarea[data-submit-on-enter]").forEach(function (area) {
    area.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && area.form) {
        event.preventDefault();
        if (area.form.reportValidity()) {
          area.form.requestSubmit ? area.form.requestSubmit() : area.form.submit();
        }
      }
    });
  });

  // Deciding many reports at once, or deleting a number, asks first.
  document.querySelectorAll("button[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.getAttribute("data-confirm"))) event.preventDefault();
    });
  });

  // After a failed submit, take keyboard and screen-reader users to the list of problems.
  var summary = document.querySelector("[data-focus]");
  if (summary) summary.focus();
})();
