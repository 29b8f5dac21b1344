/*
 * The dashboard's charts and range picker.
 *
 * - The charts read /console/dashboard/data?range=... (data-src and data-range on #chart-per-minute):
 *   decisions per minute by action (stacked bars) and the score distribution (a histogram).
 * - The stat cards are sent by the server every few seconds over server-sent events (htmx's SSE
 *   extension on #live); each update also re-reads the charts' data.
 * - Changing the range re-reads the charts, reconnects the stream with the new range and keeps the
 *   address in step (the form still works without this script: it reloads the page).
 * Tooltips render on the canvas (renderMode richText): HTML tooltips carry inline styles the
 * Content-Security-Policy refuses.
 */
(function () {
  'use strict';

  var ACTIONS = ['ALLOW', 'CHALLENGE', 'REVIEW', 'HOLD', 'DENY'];
  var COLOURS = { ALLOW: '#1a7f37', CHALLENGE: '#bf8700', REVIEW: '#0969da', HOLD: '#bc4c00', DENY: '#cf222e' };
  var perMinute = null;
  var scores = null;
  var loading = false;

  function chartElement() {
    return document.getElementById('chart-per-minute');
  }

  function label(iso, stepMinutes) {
    var d = new Date(iso);
    var hm = String(d.getUTCHours()).padStart(2, '0') + ':' + String(d.getUTCMinutes()).padStart(2, '0');
    if (stepMinutes < 60) return hm;
    return (d.getUTCMonth() + 1) + '-' + d.getUTCDate() + ' ' + hm;
  }

  function draw(data) {
    var el = chartElement();
    el.setAttribute('data-total', String(data.total));
    el.setAttribute('data-loaded-range', data.range);
    perMinute.setOption({
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      legend: { data: ACTIONS, top: 0 },
      grid: { left: 48, right: 16, top: 32, bottom: 32 },
      xAxis: { type: 'category', data: data.times.map(function (t) { return label(t, data.step_minutes); }) },
      yAxis: { type: 'value', name: 'per minute', minInterval: 0.01 },
      series: ACTIONS.map(function (a) {
        return { name: a, type: 'bar', stack: 'decisions', data: data.per_minute[a], itemStyle: { color: COLOURS[a] } };
      })
    }, true);
    var sc = document.getElementById('chart-scores');
    var scored = data.score_counts.reduce(function (s, n) { return s + n; }, 0);
    sc.setAttribute('data-total', String(scored));
    scores.setOption({
      tooltip: { trigger: 'axis', renderMode: 'richText' },
      grid: { left: 48, right: 24, top: 32, bottom: 32 },
      xAxis: { type: 'category', data: data.score_bins, name: 'score' },
      yAxis: { type: 'value', name: 'decisions', minInterval: 1 },
      series: [{ name: 'Decisions', type: 'bar', barCategoryGap: '2%', data: data.score_counts, itemStyle: { color: '#0b5cad' } }]
    }, true);
  }

  async function load() {
    if (loading || !perMinute) return;
    loading = true;
    try {
      var el = chartElement();
      var url = el.getAttribute('data-src') + '?range=' + encodeURIComponent(el.getAttribute('data-range'));
      var response = await fetch(url, { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' });
      if (response.ok) draw(await response.json());
    } finally {
      loading = false;
    }
  }

  /** Reconnects the live stat cards with the new range: a fresh #live element, processed by htmx. */
  function reconnect(range) {
    var live = document.getElementById('live');
    var url = live.getAttribute('sse-connect').replace(/range=[^&]*/, 'range=' + encodeURIComponent(range));
    var fresh = live.cloneNode(true);
    fresh.setAttribute('sse-connect', url);
    htmx.trigger(live, 'htmx:beforeCleanupElement');
    live.replaceWith(fresh);
    htmx.process(fresh);
  }

  function choose(range) {
    chartElement().setAttribute('data-range', range);
    history.replaceState(null, '', '?range=' + encodeURIComponent(range));
    reconnect(range);
    load();
  }

  document.addEventListener('DOMContentLoaded', function () {
    if (!chartElement() || typeof echarts === 'undefined') return;
    perMinute = echarts.init(chartElement());
    scores = echarts.init(document.getElementById('chart-scores'));
    window.addEventListener('resize', function () { perMinute.resize(); scores.resize(); });
    var form = document.getElementById('range-form');
    var select = document.getElementById('range');
    form.addEventListener('submit', function (e) { e.preventDefault(); choose(select.value); });
    select.addEventListener('change', function () { choose(select.value); });
    document.body.addEventListener('htmx:sseMessage', function () { load(); });
    load();
  });
})();
