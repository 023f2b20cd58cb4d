// One client's traffic per minute over the last hour, from the database.
(function () {
  'use strict';
  const canvas = document.getElementById('chart-client');
  if (!canvas || typeof Chart === 'undefined') { return; }
  const chart = new Chart(canvas, {
    type: 'bar',
    data: { labels: [], datasets: [
      { label: 'messages in', data: [], yAxisID: 'm' },
      { label: 'messages out', data: [], yAxisID: 'm' },
      { label: 'bytes in', data: [], type: 'line', yAxisID: 'b', pointRadius: 2 },
      { label: 'bytes out', data: [], type: 'line', yAxisID: 'b', pointRadius: 2 }
    ] },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: {
        m: { position: 'left', beginAtZero: true, title: { display: true, text: 'messages / min' } },
        b: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false },
             ticks: { callback: function (v) { return window.chatmsg.formatBytes(v); } } }
      },
      plugins: { legend: { position: 'bottom' } }
    }
  });
  function refresh() {
    fetch(canvas.dataset.source, { headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (rows) {
        chart.data.labels = rows.map(function (m) { return new Date(m.minute).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }); });
        chart.data.datasets[0].data = rows.map(function (m) { return m.messagesIn; });
        chart.data.datasets[1].data = rows.map(function (m) { return m.messagesOut; });
        chart.data.datasets[2].data = rows.map(function (m) { return m.bytesIn; });
        chart.data.datasets[3].data = rows.map(function (m) { return m.bytesOut; });
        chart.update();
      })
      .catch(function () { /* next time */ });
  }
  refresh();
  setInterval(refresh, 10000);
})();

// This session's round trips (server PING to PONG), with the normal and slow thresholds.
(function () {
  'use strict';
  const canvas = document.getElementById('chart-rtt');
  if (!canvas || typeof Chart === 'undefined') { return; }
  const normal = parseFloat(canvas.dataset.normal);
  const slow = parseFloat(canvas.dataset.slow);
  const chart = new Chart(canvas, {
    type: 'line',
    data: { labels: [], datasets: [
      { label: 'round trip (ms)', data: [], pointRadius: 2, tension: 0.2 },
      { label: 'slow from', data: [], pointRadius: 0, borderDash: [4, 4] },
      { label: 'very slow from', data: [], pointRadius: 0, borderDash: [2, 2] }
    ] },
    options: {
      animation: false,
      maintainAspectRatio: false,
      scales: { y: { beginAtZero: true, title: { display: true, text: 'ms' } } },
      plugins: { legend: { position: 'bottom' } }
    }
  });
  function refresh() {
    fetch(canvas.dataset.source, { headers: { 'Accept': 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (rows) {
        chart.data.labels = rows.map(function (s) { return new Date(s.at).toLocaleTimeString(); });
        chart.data.datasets[0].data = rows.map(function (s) { return s.millis; });
        chart.data.datasets[1].data = rows.map(function () { return normal; });
        chart.data.datasets[2].data = rows.map(function () { return slow; });
        chart.update();
      })
      .catch(function () { /* next time */ });
  }
  refresh();
  setInterval(refresh, 5000);
})();
