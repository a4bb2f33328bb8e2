/* Reply helpers: a button with data-insert-into and data-insert-text puts its text into that
   textarea where the cursor is (or at the end), then gives the textarea the focus. Buttons
   inserted later by HTMX work too (one listener on the document). */
document.addEventListener("click", function (event) {
  var button = event.target.closest("button[data-insert-into]");
  if (!button) { return; }
  var area = document.getElementById(button.dataset.insertInto);
  if (!area) { return; }
  var text = button.dataset.insertText || "";
  var start = area.selectionStart || area.value.length;
  var end = area.selectionEnd || start;
  if (document.activeElement !== area && !area.dataset.touched) { start = end = area.value.length; }
  var before = area.value.slice(0, start);
  var spacer = before && !/\n$/.test(before) ? "\n" : "";
  area.value = before + spacer + text + area.value.slice(end);
  var cursor = (before + spacer + text).length;
  area.focus();
  area.setSelectionRange(cursor, cursor);
});
document.addEventListener("focusin", function (event) {
  if (event.target.id === "reply-body") { event.target.dataset.touched = "1"; }
});
