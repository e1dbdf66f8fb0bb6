// annals reading room: small conveniences; every page works without this file.
(function () {
  "use strict";
  // "/" focuses the search box.
  document.addEventListener("keydown", function (e) {
    if (e.key === "/" && !/^(INPUT|TEXTAREA|SELECT)$/.test(document.activeElement.tagName)) {
      var q = document.querySelector("form.search input[name=q]");
      if (q) { e.preventDefault(); q.focus(); }
    }
    // Escape hides an open note tooltip by moving focus away.
    if (e.key === "Escape" && document.activeElement && document.activeElement.classList.contains("mk")) {
      document.activeElement.blur();
    }
  });
  // Keep a marker's tooltip inside the window.
  document.addEventListener("focusin", place);
  document.addEventListener("mouseover", place);
  function place(e) {
    var mk = e.target.closest && e.target.closest("a.mk");
    if (!mk) return;
    var tip = mk.querySelector(".tip");
    if (!tip) return;
    tip.classList.remove("flip");
    var r = mk.getBoundingClientRect();
    if (r.left + 400 > window.innerWidth) tip.classList.add("flip");
  }
})();
