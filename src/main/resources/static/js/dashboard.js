// Small touches for every page: local times (UTC on hover), bytes with units,
// confirmations, and no live refresh while the operator is typing in a table.
(function () {
  'use strict';

  function formatBytes(n) {
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let v = Number(n);
    let i = 0;
    while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
    return (i === 0 ? v.toFixed(0) : v.toFixed(1)) + ' ' + units[i];
  }

  function formatDuration(seconds) {
    let s = Number(seconds);
    const d = Math.floor(s / 86400); s -= d * 86400;
    const h = Math.floor(s / 3600); s -= h * 3600;
    const m = Math.floor(s / 60); s -= m * 60;
    return (d ? d + 'd ' : '') + (d || h ? h + 'h ' : '') + m + 'm ' + Math.floor(s) + 's';
  }

  function enhance(root) {
    root.querySelectorAll('time[data-utc]').forEach(function (t) {
      const utc = t.getAttribute('data-utc');
      const d = new Date(utc);
      if (isNaN(d)) { return; }
      t.textContent = t.hasAttribute('data-time-only') ? d.toLocaleTimeString() : d.toLocaleString();
      t.title = utc;
      t.dateTime = utc;
    });
    root.querySelectorAll('[data-bytes]').forEach(function (e) {
      if (!e.dataset.raw) { e.dataset.raw = e.textContent.trim(); }
      e.textContent = formatBytes(e.dataset.raw);
      e.title = e.dataset.raw + ' bytes';
    });
    root.querySelectorAll('[data-duration]').forEach(function (e) {
      e.textContent = formatDuration(e.textContent.trim());
    });
  }

  window.chatmsg = { formatBytes: formatBytes };

  document.addEventListener('DOMContentLoaded', function () { enhance(document); });
  document.addEventListener('htmx:afterSwap', function (e) { enhance(e.target); });

  // Forms that ask first (kick, broadcast), and local times sent as UTC.
  document.addEventListener('submit', function (e) {
    const form = e.target;
    const question = form.getAttribute && form.getAttribute('data-confirm');
    if (question && !window.confirm(question)) { e.preventDefault(); return; }
    form.querySelectorAll('input[data-utc-target]').forEach(function (local) {
      const target = document.getElementById(local.getAttribute('data-utc-target'));
      target.value = local.value ? new Date(local.value).toISOString() : '';
    });
  });

  // Do not replace a table under the operator's fingers.
  document.addEventListener('htmx:beforeRequest', function (e) {
    const target = e.detail.elt;
    if (!target || target.tagName === 'INPUT') { return; }
    const busy = Array.prototype.some.call(target.querySelectorAll('input'), function (i) {
      return i === document.activeElement || i.value !== '';
    });
    if (busy) { e.preventDefault(); }
  });
})();
