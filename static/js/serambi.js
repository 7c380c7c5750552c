// Serambi's one small script. Every page works without it; this only smooths a few edges.
(function () {
  "use strict";
  document.documentElement.classList.add("js");
})();
