// Countersign: refreshes a petition page's counts every few seconds. The page is complete
// without it; this only saves a reload. Same origin only (see the page's Content-Security-Policy).
(function () {
  'use strict';
  var root = document.querySelector('[data-counts-url]');
  if (!root || !window.fetch) return;
  var url = root.getAttribute('data-counts-url');
  var number = new Intl.NumberFormat(document.documentElement.lang || 'en');
  var EVERY_MS = 5000;

  function show(name, value) {
    var nodes = document.querySelectorAll('[data-count="' + name + '"]');
    for (var i = 0; i < nodes.length; i++) nodes[i].textContent = number.format(value);
  }

  function refresh() {
    if (document.hidden) return;
    fetch(url, { headers: { accept: 'application/json' }, credentials: 'omit' })
      .then(function (res) {
        return res.ok ? res.json() : null;
      })
      .then(function (counts) {
        if (!counts) return;
        var checking = counts.pending + counts.needsReview;
        show('verified', counts.verified);
        show('beingChecked', checking);
        show('rejected', counts.rejected);
        show('withdrawn', counts.withdrawn);
        var bar = document.querySelector('progress[data-count-progress]');
        if (bar) bar.value = Math.min(counts.verified, Number(bar.max));
      })
      .catch(function () {
        /* offline for a moment: the next tick tries again */
      });
  }

  setInterval(refresh, EVERY_MS);
})();
