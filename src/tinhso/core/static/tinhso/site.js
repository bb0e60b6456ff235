/* Tỉnh Số: the only script. Everything works without it. */
(function () {
  var select = document.querySelector("select[data-autosubmit]");
  if (select) {
    document.documentElement.classList.add("js");
    select.addEventListener("change", function () { select.form.submit(); });
  }
  var summary = document.getElementById("error-summary");
  if (summary) { summary.focus(); }
})();
