// Serambi's one small script. Every page works without it; this only smooths a few edges.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // The language menu switches as soon as a language is picked (its button stays for no-JS).
  document.addEventListener("change", function (event) {
    var select = event.target.closest("select[data-autosubmit]");
    if (select && select.form) select.form.requestSubmit ? select.form.requestSubmit() : select.form.submit();
  });
})();
