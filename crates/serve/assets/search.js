// annals static site search: a prebuilt inverted index (search-index.json)
// queried in the browser. Results are built with textContent only.
(function () {
  "use strict";
  var form = document.getElementById("static-search");
  var out = document.getElementById("static-results");
  if (!form || !out) return;
  var input = form.querySelector("input[name=q]");
  var params = new URLSearchParams(location.search);
  input.value = params.get("q") || "";
  var root = form.getAttribute("data-root") || "./";
  function tokens(s) { return (s.toLowerCase().match(/[\p{L}\p{N}]+/gu) || []); }
  fetch(root + "search-index.json").then(function (r) { return r.json(); }).then(function (ix) {
    function run() {
      var q = tokens(input.value);
      out.textContent = "";
      if (!q.length) return;
      var scores = null;
      q.forEach(function (t) {
        var post = ix.terms[t] || [];
        var s = {};
        post.forEach(function (p) { s[p[0]] = (s[p[0]] || 0) + p[1] * ix.idf[t]; });
        if (scores === null) { scores = s; } else {
          var n = {}; Object.keys(scores).forEach(function (k) { if (k in s) n[k] = scores[k] + s[k]; }); scores = n;
        }
      });
      var hits = Object.keys(scores || {}).sort(function (a, b) { return scores[b] - scores[a]; }).slice(0, 50);
      var p = document.createElement("p");
      p.textContent = hits.length + " matching passages";
      out.appendChild(p);
      hits.forEach(function (k) {
        var u = ix.units[k];
        var div = document.createElement("p");
        div.className = "hit";
        var a = document.createElement("a");
        a.href = root + u.href;
        a.textContent = u.title;
        div.appendChild(a);
        div.appendChild(document.createTextNode(" "));
        var words = u.text.split(/(\s+)/);
        words.forEach(function (w) {
          if (q.indexOf(tokens(w)[0]) >= 0) { var m = document.createElement("mark"); m.textContent = w; div.appendChild(m); }
          else div.appendChild(document.createTextNode(w));
        });
        out.appendChild(div);
      });
    }
    form.addEventListener("submit", function (e) { e.preventDefault(); history.replaceState(null, "", "?q=" + encodeURIComponent(input.value)); run(); });
    run();
  });
})();
