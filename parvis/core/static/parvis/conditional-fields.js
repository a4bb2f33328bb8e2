/* Fields shown only when another field has a given value: an input marked
   data-shown-when="KEY" data-shown-values="a,b" is hidden, and disabled (so nothing is sent
   for it), unless the input marked data-field-key="KEY" in the same form holds one of those
   values (a ticked checkbox holds "true"). Without JavaScript every field shows, its help
   saying when it applies; the server decides either way (catalog.forms.DemarcheFieldsForm,
   portal.forms.SubmissionForm). Fields loaded by htmx are updated once they are in. */
(function () {
  function valueOf(form, key) {
    var inputs = form.querySelectorAll('[data-field-key="' + key + '"]');
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if (input.disabled) { continue; }
      if (input.type === "checkbox") { return input.checked ? "true" : ""; }
      if (input.type !== "radio" || input.checked) { return input.value; }
    }
    return "";
  }
  function update() {
    // In document order: a field hidden (so disabled) hides the fields that depend on it.
    document.querySelectorAll("[data-shown-when]").forEach(function (input) {
      var form = input.form || document;
      var values = input.dataset.shownValues.split(",");
      var shown = values.indexOf(valueOf(form, input.dataset.shownWhen)) !== -1;
      var wrapper = input.closest(".field") || input;
      wrapper.hidden = !shown;
      input.disabled = !shown;
    });
  }
  document.addEventListener("DOMContentLoaded", update);
  document.addEventListener("change", update);
  document.addEventListener("htmx:afterSettle", update);
})();
