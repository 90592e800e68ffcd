// Live parts of a page: every element with data-live="/path" is refreshed from that path every 3 s.
// The fragment is HTML built (and escaped) by the server; same origin only.
(function () {
  function refresh(el) {
    fetch(el.getAttribute('data-live'), { credentials: 'same-origin', cache: 'no-store' })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (t) { if (t !== null) { el.innerHTML = t; } })
      .catch(function () { /* the next tick tries again */ });
  }
  document.querySelectorAll('[data-live]').forEach(function (el) {
    setInterval(function () { refresh(el); }, 3000);
  });
})();
