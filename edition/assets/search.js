/* Full-text search of the edition in the browser, offline.
   The build writes the index as search-index.js (window.EDITION_SEARCH):
   texts and documents by id, names by register id ([label, kind, variants]),
   passages as [text id, element id, document id, text, [register ids], [years]]. */
(function () {
  "use strict";
  var data = window.EDITION_SEARCH;
  var form = document.getElementById("search-form");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!form || !status || !list) { return; }
  if (!data) { status.textContent = "The search index (search-index.js) could not be loaded."; return; }

  var LIMIT = 100;
  var passages = data.passages;
  var folded = null;  // folded texts, made on the first search

  /* Lower case without diacritics, one character for one character (offsets stay valid). */
  function fold(text) {
    var out = "";
    for (var i = 0; i < text.length; i += 1) {
      var c = text.charAt(i).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
      out += c.length === 1 ? c : text.charAt(i).toLowerCase().charAt(0) || " ";
    }
    return out;
  }

  function fillSelect(id, kind) {
    var select = document.getElementById(id);
    var counts = {};
    passages.forEach(function (p) {
      p[4].forEach(function (ident) {
        var name = data.names[ident];
        if (name && name[1] === kind) { counts[ident] = (counts[ident] || 0) + 1; }
      });
    });
    Object.keys(counts).sort(function (a, b) {
      return data.names[a][0].localeCompare(data.names[b][0]);
    }).forEach(function (ident) {
      var option = document.createElement("option");
      option.value = ident;
      option.textContent = data.names[ident][0] + " (" + counts[ident] + ")";
      select.appendChild(option);
    });
  }

  function fillYears() {
    var select = document.getElementById("year");
    var counts = {};
    passages.forEach(function (p) { p[5].forEach(function (y) { counts[y] = (counts[y] || 0) + 1; }); });
    Object.keys(counts).sort().forEach(function (year) {
      var option = document.createElement("option");
      option.value = year;
      option.textContent = year + " (" + counts[year] + ")";
      select.appendChild(option);
    });
  }

  /* Register ids whose name (any form) is the query: passages naming them match too. */
  function namedEntities(query) {
    var found = [];
    if (!query) { return found; }
    Object.keys(data.names).forEach(function (ident) {
      var forms = [data.names[ident][0]].concat(data.names[ident][2] || []);
      if (forms.some(function (f) { return fold(f) === query; })) { found.push(ident); }
    });
    return found;
  }

  function values() {
    var v = {};
    ["q", "person", "place", "org", "year"].forEach(function (name) {
      v[name] = (form.elements[name].value || "").trim();
    });
    return v;
  }

  function search(v) {
    if (!folded) { folded = passages.map(function (p) { return fold(p[3]); }); }
    var query = fold(v.q).replace(/\s+/g, " ").trim();
    var terms = query ? query.split(" ") : [];
    var aliases = namedEntities(query);
    var wanted = [v.person, v.place, v.org].filter(Boolean);
    var hits = [];
    var byNameOnly = 0;
    passages.forEach(function (p, i) {
      if (v.year && p[5].indexOf(v.year) === -1) { return; }
      if (!wanted.every(function (w) { return p[4].indexOf(w) !== -1; })) { return; }
      var byText = terms.every(function (t) { return folded[i].indexOf(t) !== -1; });
      var byName = aliases.some(function (a) { return p[4].indexOf(a) !== -1; });
      if (terms.length && !byText && !byName) { return; }
      if (terms.length && !byText) { byNameOnly += 1; }
      hits.push(i);
    });
    return { hits: hits, terms: terms, aliases: byNameOnly ? aliases : [] };
  }

  function snippet(i, terms) {
    var text = passages[i][3];
    var low = folded[i];
    var at = -1;
    terms.forEach(function (t) {
      var k = low.indexOf(t);
      if (k !== -1 && (at === -1 || k < at)) { at = k; }
    });
    var start = Math.max(0, (at === -1 ? 0 : at) - 90);
    var end = Math.min(text.length, start + 260);
    var p = document.createElement("p");
    p.className = "snippet";
    if (start > 0) { p.appendChild(document.createTextNode("… ")); }
    var pos = start;
    while (pos < end) {
      var next = -1;
      var len = 0;
      terms.forEach(function (t) {
        var k = low.indexOf(t, pos);
        if (k !== -1 && k < end && (next === -1 || k < next)) { next = k; len = t.length; }
      });
      if (next === -1) { p.appendChild(document.createTextNode(text.slice(pos, end))); break; }
      p.appendChild(document.createTextNode(text.slice(pos, next)));
      var mark = document.createElement("mark");
      mark.textContent = text.slice(next, next + len);
      p.appendChild(mark);
      pos = next + len;
    }
    if (end < text.length) { p.appendChild(document.createTextNode(" …")); }
    return p;
  }

  function show(result, limit) {
    list.textContent = "";
    var hits = result.hits;
    hits.slice(0, limit).forEach(function (i) {
      var p = passages[i];
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = p[0] + ".html#" + p[1];
      a.textContent = (p[2] && data.documents[p[2]]) || data.texts[p[0]] || p[0];
      li.appendChild(a);
      if (p[2]) {
        var inText = document.createElement("span");
        inText.className = "in-text";
        inText.textContent = " in " + (data.texts[p[0]] || p[0]);
        li.appendChild(inText);
      }
      li.appendChild(snippet(i, result.terms));
      list.appendChild(li);
    });
    var message = hits.length === 1 ? "1 passage found" : hits.length + " passages found";
    if (hits.length > limit) { message += "; showing the first " + limit; }
    if (result.aliases.length) {
      message += ", including those that name " + result.aliases.map(function (a) {
        return data.names[a][0];
      }).join(", ") + " in another form";
    }
    status.textContent = message + ".";
    if (hits.length > limit) {
      var more = document.createElement("li");
      more.className = "more";
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = "Show all " + hits.length;
      button.addEventListener("click", function () { show(result, hits.length); });
      more.appendChild(button);
      list.appendChild(more);
    }
  }

  function run(updateAddress) {
    var v = values();
    if (!v.q && !v.person && !v.place && !v.org && !v.year) {
      list.textContent = "";
      status.textContent = "";
      return;
    }
    show(search(v), LIMIT);
    if (updateAddress && window.history && history.replaceState) {
      var params = Object.keys(v).filter(function (k) { return v[k]; }).map(function (k) {
        return encodeURIComponent(k) + "=" + encodeURIComponent(v[k]);
      }).join("&");
      try { history.replaceState(null, "", "?" + params); } catch (e) { /* file:// may refuse */ }
    }
  }

  fillSelect("person", "person");
  fillSelect("place", "place");
  fillSelect("org", "org");
  fillYears();

  var params = new URLSearchParams(location.search);
  ["q", "person", "place", "org", "year"].forEach(function (name) {
    if (params.get(name)) { form.elements[name].value = params.get(name); }
  });

  var timer = null;
  form.addEventListener("submit", function (event) { event.preventDefault(); run(true); });
  form.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { run(false); }, 200);
  });
  form.addEventListener("change", function () { run(true); });
  form.addEventListener("reset", function () { setTimeout(function () { run(true); }, 0); });
  run(false);
}());
