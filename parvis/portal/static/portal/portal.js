/* Citizens' portal: after a refused submission, move the focus to the list of errors. */
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.getElementById("erreurs");
  if (summary) { summary.focus(); }
});
