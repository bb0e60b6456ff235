/* Tỉnh Số: the only script. Everything works without it. */
(function () {
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
