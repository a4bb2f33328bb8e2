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

/* A public-space report: "Utiliser ma position actuelle" fills the latitude and longitude from
   the device (the browser asks the citizen first), then a change event on them asks the
   server for the open reports nearby (hx-trigger="change" on their group). Without the
   geolocation API the button stays hidden; the coordinates can still be typed. */
document.addEventListener("DOMContentLoaded", function () {
  if (!navigator.geolocation) { return; }
  document.querySelectorAll("[data-locate]").forEach(function (button) {
    var place = button.closest("[data-nearby-place]");
    var status = place.querySelector("[data-locate-status]");
    var lat = place.querySelector("input[name=location_lat]");
    var lon = place.querySelector("input[name=location_lon]");
    button.hidden = false;
    button.addEventListener("click", function () {
      status.textContent = button.dataset.searching;
      navigator.geolocation.getCurrentPosition(function (position) {
        lat.value = position.coords.latitude.toFixed(6);
        lon.value = position.coords.longitude.toFixed(6);
        status.textContent = button.dataset.found;
        lon.dispatchEvent(new Event("change", { bubbles: true }));
      }, function () {
        status.textContent = button.dataset.failed;
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  });
});
