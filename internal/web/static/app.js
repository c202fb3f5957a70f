// crosscheck: keyboard navigation. j / k move between the items of a
// list, Enter (or o) opens the selected one, / goes to the search box.
// No inline script: the Content-Security-Policy allows only this file.
(function () {
  "use strict";
  var current = -1;
  function items() { return Array.prototype.slice.call(document.querySelectorAll(".item")); }
  function select(i) {
    var xs = items();
    if (xs.length === 0) { return; }
    i = Math.max(0, Math.min(xs.length - 1, i));
    if (current >= 0 && xs[current]) { xs[current].classList.remove("selected"); }
    current = i;
    xs[i].classList.add("selected");
    xs[i].scrollIntoView({ block: "nearest" });
  }
  function typing(e) {
    var t = e.target;
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
  }
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    if (typing(e)) {
      if (e.key === "Escape") { e.target.blur(); }
      return;
    }
    switch (e.key) {
      case "j": select(current + 1); e.preventDefault(); break;
      case "k": select(current - 1); e.preventDefault(); break;
      case "Enter":
      case "o":
        var xs = items();
        if (current >= 0 && xs[current]) {
          var a = xs[current].querySelector("a[href]");
          if (a) { window.location.href = a.href; e.preventDefault(); }
        }
        break;
      case "/":
        var q = document.getElementById("q") || document.getElementById("global-q");
        if (q) { q.focus(); q.select(); e.preventDefault(); }
        break;
    }
  });
})();
