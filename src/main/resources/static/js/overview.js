// The overview's live charts: rates per second over the last five minutes, from /stats.json.
(function () {
  'use strict';
  const messagesCanvas = document.getElementById('chart-messages');
  const bytesCanvas = document.getElementById('chart-bytes');
  if (!messagesCanvas || typeof Chart === 'undefined') { return; }

  function chart(canvas, labels, yFormat) {
    return new Chart(canvas, {
      type: 'line',
      data: { labels: [], datasets: labels.map(function (l) { return { label: l, data: [], pointRadius: 0, tension: 0.2 }; }) },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: { x: { ticks: { maxTicksLimit: 6 } }, y: { beginAtZero: true, ticks: { callback: yFormat } } },
        plugins: { legend: { position: 'bottom' } }
      }
    });
  }

  const messages = chart(messagesCanvas, ['in (msg/s)', 'out (msg/s)'], function (v) { return v + ' msg/s'; });
  const bytes = chart(bytesCanvas, ['in', 'out'], function (v) { return window.chatmsg.formatBytes(v) + '/s'; });

  function refresh() {
    fetch('stats.json', { headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (s) {
        if (!s) { return; }
        const labels = s.samples.map(function (x) { return new Date(x.at).toLocaleTimeString(); });
        messages.data.labels = labels;
        messages.data.datasets[0].data = s.samples.map(function (x) { return x.messagesInPerSec; });
        messages.data.datasets[1].data = s.samples.map(function (x) { return x.messagesOutPerSec; });
        bytes.data.labels = labels;
        bytes.data.datasets[0].data = s.samples.map(function (x) { return x.bytesInPerSec; });
        bytes.data.datasets[1].data = s.samples.map(function (x) { return x.bytesOutPerSec; });
        messages.update();
        bytes.update();
        document.getElementById('stat-connections').textContent = s.connections;
        document.getElementById('stat-online').textContent = s.online;
      })
      .catch(function () { /* the next tick tries again */ });
  }
  refresh();
  setInterval(refresh, 2000);
})();
