/* Citizens' portal: after a refused submission, move the focus to the list of errors. */
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("erreurs");
  if (summary) { summary.focus(); }
});

/* A form marked data-submit-once is sent once: a second click while it is on its way does
   nothing (the server would not create a second ticket either: the form's token). After
   RETRY_AFTER_MS, or back on the page, the button works again, for a connection that hung. */
(function () {
  var RETRY_AFTER_MS = 10000;
  function release(form) {
    delete form.dataset.sending;
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.removeAttribute("aria-disabled");
    });
  }
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches("form[data-submit-once]")) { return; }
    if (form.dataset.sending) { event.preventDefault(); return; }
    form.dataset.sending = "1";
    form.querySelectorAll("button[type=submit]").forEach(function (button) {
      button.setAttribute("aria-disabled", "true");
    });
    window.setTimeout(function () { release(form); }, RETRY_AFTER_MS);
  });
  window.addEventListener("pageshow", function () {
    document.querySelectorAll("form[data-submit-once]").forEach(release);
  });
})();
