/* Reading edition: small enhancements, no library, nothing loaded from elsewhere.
   - the target of the address (#id) is shown even inside a collapsed <details>;
   - the "cite this" box follows the address (document or paragraph);
   - copy buttons; the filter of the register pages. */
(function () {
  "use strict";

  function targetOfHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    return id ? document.getElementById(id) : null;
  }

  function openDetails(el) {
    for (var node = el; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") { node.open = true; }
    }
  }

  /* ---- cite this ---- */
  var citeData = null;
  var dataEl = document.getElementById("cite-data");
  if (dataEl) {
    try { citeData = JSON.parse(dataEl.textContent); } catch (e) { citeData = null; }
  }

  function replaceAll(text, from, to) { return text.split(from).join(to); }

  function updateCitation() {
    if (!citeData || !citeData.length) { return; }
    var target = targetOfHash();
    var chosen = citeData[0];
    if (target) {
      for (var node = target; node && !node.classList.contains("reading"); node = node.parentElement) {
        var found = citeData.filter(function (c) { return c.key && c.key === node.id; })[0];
        if (found) { chosen = found; break; }
      }
    }
    var base = chosen.url;
    var url = target ? base.split("#")[0] + "#" + target.id : base;
    var fields = {
      title: chosen.title,
      text: replaceAll(chosen.text, base, url),
      url: url,
      bibtex: replaceAll(chosen.bibtex, base, url),
      csl: replaceAll(chosen.csl, base, url)
    };
    Object.keys(fields).forEach(function (name) {
      var el = document.querySelector('[data-cite="' + name + '"]');
      if (!el) { return; }
      if (el.tagName === "INPUT") { el.value = fields[name]; } else { el.textContent = fields[name]; }
    });
  }

  function copyText(text, done) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(false); });
      return;
    }
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "absolute";
    area.style.left = "-9999px";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    done(ok);
  }

  Array.prototype.forEach.call(document.querySelectorAll("button[data-copy]"), function (button) {
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy"));
      var status = document.querySelector(".copy-status");
      copyText(source ? source.textContent : "", function (ok) {
        if (status) { status.textContent = ok ? "Copied." : "Select the text and copy it."; }
      });
    });
  });

  /* ---- register filter ---- */
  var filter = document.getElementById("register-filter");
  if (filter) {
    var entries = document.querySelectorAll(filter.getAttribute("data-filter"));
    var count = document.getElementById("filter-count");
    var fold = function (s) {
      return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
    };
    filter.addEventListener("input", function () {
      var q = fold(filter.value.trim());
      var shown = 0;
      Array.prototype.forEach.call(entries, function (entry) {
        var match = !q || fold(entry.getAttribute("data-names") || "").indexOf(q) !== -1;
        entry.hidden = !match;
        if (match) { shown += 1; }
      });
      Array.prototype.forEach.call(document.querySelectorAll("section.letter"), function (section) {
        section.hidden = !section.querySelector(".entry:not([hidden])");
      });
      if (count) { count.textContent = q ? shown + " of " + entries.length + " entries" : ""; }
    });
  }

  function onHash() {
    var target = targetOfHash();
    if (target) {
      openDetails(target);
      if (!target.getBoundingClientRect().height) { return; }
      target.scrollIntoView();
    }
    updateCitation();
  }
  window.addEventListener("hashchange", onHash);
  if (location.hash) { onHash(); } else { updateCitation(); }
}());
