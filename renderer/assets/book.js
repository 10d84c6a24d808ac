// The book's page script: contents button, theme toggle, "On this page" scrollspy, copy
// buttons, popovers for numbers / citations / cross-references, and search. Plain JavaScript,
// no network: everything it reads is in the page (#page-data) or beside it in the book.
(function () {
  "use strict";
  var doc = document, root = doc.body.getAttribute("data-root") || "";
  var data = {};
  try { data = JSON.parse((doc.getElementById("page-data") || {}).textContent || "{}"); } catch (e) { data = {}; }
  var lang = doc.documentElement.lang || undefined;

  function el(tag, attrs, text) {
    var node = doc.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text != null) node.textContent = text;
    return node;
  }

  // --- contents button (narrow screens) ---------------------------------------------------
  var menu = doc.querySelector(".menu-button"), sidebar = doc.getElementById("sidebar");
  if (menu && sidebar) {
    menu.addEventListener("click", function () {
      var open = sidebar.classList.toggle("open");
      menu.setAttribute("aria-expanded", String(open));
      if (open) { var first = sidebar.querySelector("input, a"); if (first) first.focus(); }
    });
    doc.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && sidebar.classList.contains("open") && getComputedStyle(menu).display !== "none") {
        sidebar.classList.remove("open"); menu.setAttribute("aria-expanded", "false"); menu.focus();
      }
    });
  }

  // --- theme: follows the system until the reader picks one -------------------------------
  var toggle = doc.querySelector(".theme-toggle"), html = doc.documentElement;
  var system = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  function isDark() { var t = html.dataset.theme; return t ? t === "dark" : !!(system && system.matches); }
  function syncToggle() { if (toggle) toggle.setAttribute("aria-pressed", String(isDark())); }
  if (toggle) {
    toggle.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      html.dataset.theme = next;
      try { localStorage.setItem("book-theme", next); } catch (e) { /* storage off: this page only */ }
      syncToggle();
    });
    if (system && system.addEventListener) system.addEventListener("change", syncToggle);
    syncToggle();
  }

  // --- "On this page": the section being read is marked ----------------------------------
  var tocLinks = [].slice.call(doc.querySelectorAll(".page-toc a"));
  var heads = tocLinks.map(function (a) { return doc.getElementById(decodeURIComponent(a.hash.slice(1))); });
  var spyQueued = false;
  function spy() {
    spyQueued = false;
    var current = -1;
    heads.forEach(function (h, i) { if (h && h.getBoundingClientRect().top < 140) current = i; });
    tocLinks.forEach(function (a, i) {
      if (i === Math.max(current, 0)) a.setAttribute("aria-current", "true"); else a.removeAttribute("aria-current");
    });
  }
  if (tocLinks.length) {
    window.addEventListener("scroll", function () { if (!spyQueued) { spyQueued = true; requestAnimationFrame(spy); } }, {passive: true});
    spy();
  }

  // --- copy buttons on code blocks (e.g. the BibTeX a reader is told to copy) --------------
  function copyText(text, button, done) {
    var ok = function () { button.textContent = done; setTimeout(function () { button.textContent = button.dataset.label; }, 2000); };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(ok, function () { button.textContent = "Press Ctrl+C to copy"; });
    }
  }
  [].forEach.call(doc.querySelectorAll(".page-body pre"), function (pre) {
    var button = el("button", {type: "button", "class": "copy-button", "data-label": "Copy"}, "Copy");
    button.addEventListener("click", function () {
      var code = pre.querySelector("code") || pre;
      copyText(code.innerText, button, "Copied");
    });
    pre.appendChild(button);
  });

  // --- popovers ------------------------------------------------------------------------------
  var pop = el("div", {"class": "popover", id: "book-popover", hidden: ""});
  var owner = null, hideTimer = null;
  function place(trigger) {
    var r = trigger.getBoundingClientRect();
    pop.style.left = "0px"; pop.style.top = "0px";
    var w = pop.offsetWidth, vw = doc.documentElement.clientWidth;
    var left = Math.min(Math.max(8, r.left + window.scrollX), window.scrollX + vw - w - 8);
    pop.style.left = Math.max(8, left) + "px";
    pop.style.top = (r.bottom + window.scrollY + 6) + "px";
  }
  function show(trigger, build) {
    clearTimeout(hideTimer);
    if (owner === trigger && !pop.hidden) return;
    if (owner) owner.removeAttribute("aria-describedby");
    pop.textContent = "";
    build(pop);
    // right after its trigger, so Tab moves from a number into its links and button
    trigger.insertAdjacentElement("afterend", pop);
    pop.hidden = false;
    owner = trigger;
    trigger.setAttribute("aria-describedby", pop.id);
    place(trigger);
  }
  function hide() {
    clearTimeout(hideTimer);
    pop.hidden = true;
    if (owner) owner.removeAttribute("aria-describedby");
    owner = null;
  }
  function hideSoon() { clearTimeout(hideTimer); hideTimer = setTimeout(hide, 250); }
  pop.addEventListener("mouseenter", function () { clearTimeout(hideTimer); });
  pop.addEventListener("mouseleave", hideSoon);
  pop.addEventListener("focusout", function (e) { if (!pop.contains(e.relatedTarget) && e.relatedTarget !== owner) hideSoon(); });
  doc.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && owner) { var t = owner; hide(); t.focus(); }
  });
  doc.addEventListener("click", function (e) {
    if (owner && !pop.contains(e.target) && e.target !== owner && !owner.contains(e.target)) hide();
  });
  function attach(trigger, build, clickToggles) {
    var timer = null;
    trigger.addEventListener("mouseenter", function () { clearTimeout(timer); timer = setTimeout(function () { show(trigger, build); }, 150); });
    trigger.addEventListener("mouseleave", function () { clearTimeout(timer); hideSoon(); });
    trigger.addEventListener("focus", function () { show(trigger, build); });
    trigger.addEventListener("blur", function (e) { if (!pop.contains(e.relatedTarget)) hideSoon(); });
    if (clickToggles) {
      trigger.addEventListener("click", function (e) {
        if (pop.contains(e.target)) return;
        if (owner === trigger && !pop.hidden) hide(); else show(trigger, build);
      });
      trigger.addEventListener("keydown", function (e) {
        if (e.key === "Enter" || e.key === " ") { e.preventDefault(); show(trigger, build); var f = pop.querySelector("a, button"); if (f) f.focus(); }
      });
    }
  }

  function number(v, unit) {
    if (typeof v !== "number") return v == null ? "" : String(v);
    if (/year/i.test(unit || "")) return String(v);  // 2021, not 2,021
    return v.toLocaleString(lang, {maximumSignificantDigits: 6});
  }
  function claimPopover(span, claim) {
    return function (box) {
      var dl = el("dl");
      function row(k, v) { if (v !== "" && v != null) { dl.appendChild(el("dt", {}, k)); dl.appendChild(el("dd", {}, v)); } }
      if (claim.kind === "branch") {
        box.appendChild(el("p", {}, "This sentence was chosen by the data."));
      } else {
        row("Value", number(claim.value, claim.unit));
        if (claim.low != null || claim.high != null) row("Range", (claim.low != null ? number(claim.low, claim.unit) : "\u2026") + " to " + (claim.high != null ? number(claim.high, claim.unit) : "\u2026"));
        row("Unit", claim.unit);
        row("Year", claim.year);
      }
      if (dl.childNodes.length) box.appendChild(dl);
      var ids = claim.sources || [];
      box.appendChild(el("p", {}, ids.length ? (ids.length > 1 ? "Sources:" : "Source:") : "Source: not stated"));
      var list = el("ul");
      ids.forEach(function (id) {
        var s = (data.sources || {})[id] || {}, li = el("li");
        var name = s.name || id;
        if (s.url) li.appendChild(el("a", {href: s.url}, name)); else li.appendChild(doc.createTextNode(name));
        var rest = [s.title, s.year].filter(Boolean).join(", ");
        if (rest) li.appendChild(doc.createTextNode(": " + rest));
        list.appendChild(li);
      });
      if (ids.length) box.appendChild(list);
      var copy = el("button", {type: "button", "data-label": "Copy link to this number"}, "Copy link to this number");
      copy.addEventListener("click", function () {
        var url = location.href.split("#")[0] + "#" + span.id;
        copyText(url, copy, "Link copied");
      });
      box.appendChild(copy);
    };
  }
  [].forEach.call(doc.querySelectorAll(".page-body .claim[id]"), function (span) {
    var claim = (data.claims || {})[span.id.replace(/^claim-/, "")];
    if (!claim) return;
    span.removeAttribute("title"); // the popover says more, and a title tooltip would cover it
    span.setAttribute("tabindex", "0");
    attach(span, claimPopover(span, claim), true);
  });

  function refEntry(id) {
    var own = doc.getElementById(id);
    if (own) return own;
    var tpl = doc.getElementById("ref-previews");
    return tpl && tpl.content ? tpl.content.querySelector("#" + CSS.escape(id)) : null;
  }
  [].forEach.call(doc.querySelectorAll(".page-body a[href*='#']"), function (a) {
    var frag = decodeURIComponent(a.getAttribute("href").split("#")[1] || "");
    if (/^ref-/.test(frag)) {
      var entry = refEntry(frag);
      if (entry) attach(a, function (box) { box.appendChild(el("p", {}, entry.textContent.trim())); }, false);
    } else if (/^(fig|tbl|sec)-/.test(frag) && (data.xrefs || {})[frag]) {
      var x = data.xrefs[frag];
      attach(a, function (box) {
        if (x.img) box.appendChild(el("img", {src: x.img, alt: ""}));
        box.appendChild(el("p", {}, x.text));
      }, false);
    }
  });
  if (doc.querySelector(".page-body .claim, .page-body a[href*='#']")) doc.body.appendChild(pop);

  // --- search ----------------------------------------------------------------------------------
  var input = doc.getElementById("search-input");
  if (!input) return;
  var status = doc.querySelector(".search-status"), results = doc.querySelector(".search-results");
  var engine = null, searchTimer = null, seq = 0;

  function escapeHtml(s) { return s.replace(/[&<>"]/g, function (c) { return {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;"}[c]; }); }
  function words(q) { return (q.toLowerCase().match(/[\p{L}\p{N}]+/gu) || []); }

  function pagefindEngine() {
    var base = new URL(root || "./", location.href);
    return import(new URL("pagefind/pagefind.js", base).href).then(function (pf) {
      return Promise.resolve(pf.options({baseUrl: base.pathname})).then(function () {
        return function (q) {
          return pf.search(q).then(function (r) {
            return Promise.all(r.results.slice(0, 12).map(function (x) { return x.data(); }));
          }).then(function (items) {
            return items.map(function (d) { return {url: d.url, title: (d.meta && d.meta.title) || d.url, excerpt: d.excerpt}; });
          });
        };
      });
    });
  }
  function fallbackEngine() {
    return new Promise(function (resolve, reject) {
      if (window.bookSearchIndex) return resolve();
      var s = el("script", {src: root + "site_libs/search-index.js"});
      s.onload = resolve; s.onerror = reject;
      doc.head.appendChild(s);
    }).then(function () {
      var index = window.bookSearchIndex || [];
      return function (q) {
        var terms = words(q);
        var found = [];
        index.forEach(function (e) {
          var hay = (e.p + " " + e.s + " " + e.x).toLowerCase(), score = 0;
          for (var i = 0; i < terms.length; i++) {
            var re = new RegExp("(^|[^\\p{L}\\p{N}])" + terms[i].replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "gu");
            var n = (hay.match(re) || []).length;
            if (!n) return;
            score += n;
          }
          found.push({e: e, score: score});
        });
        found.sort(function (a, b) { return b.score - a.score; });
        return found.slice(0, 12).map(function (f) {
          return {url: root + f.e.u, title: f.e.p + (f.e.s ? " \u203a " + f.e.s : ""), excerpt: snippet(f.e.x, terms)};
        });
      };
    });
  }
  function snippet(text, terms) {
    var lower = text.toLowerCase(), at = terms.length ? lower.indexOf(terms[0]) : 0;
    var start = Math.max(0, at - 60), cut = text.slice(start, start + 200);
    var out = escapeHtml((start ? "\u2026" : "") + cut + (start + 200 < text.length ? "\u2026" : ""));
    terms.forEach(function (t) {
      out = out.replace(new RegExp("(" + escapeHtml(t).replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + ")", "gi"), "<mark>$1</mark>");
    });
    return out;
  }
  function getEngine() {
    if (!engine) {
      // Pagefind loads with import()/fetch, which browsers refuse from file://: the plain
      // script index is used there, and wherever Pagefind fails to load.
      var first = /^https?:$/.test(location.protocol) ? pagefindEngine().catch(fallbackEngine) : fallbackEngine();
      engine = first;
    }
    return engine;
  }
  function run() {
    var q = input.value.trim(), mine = ++seq;
    if (words(q).length === 0) { results.textContent = ""; status.textContent = ""; return; }
    getEngine().then(function (search) { return search(q); }).then(function (items) {
      if (mine !== seq) return;
      results.textContent = "";
      items.forEach(function (item) {
        var li = el("li"), a = el("a", {href: item.url}, item.title), p = el("p");
        p.innerHTML = item.excerpt || "";
        li.appendChild(a); li.appendChild(p); results.appendChild(li);
      });
      status.textContent = items.length ? items.length + (items.length === 1 ? " result" : " results") : "No results";
    }).catch(function () { if (mine === seq) status.textContent = "Search is not available in this copy of the book."; });
  }
  input.addEventListener("input", function () { clearTimeout(searchTimer); searchTimer = setTimeout(run, 150); });
  input.form && input.form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
})();
