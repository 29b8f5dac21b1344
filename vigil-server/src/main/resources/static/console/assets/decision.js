/*
 * The decision page's charts (ECharts; data from the page's data-* attributes, no inline script):
 * - #explanation-chart: each feature's contribution to the model's log-odds, a horizontal bar chart;
 * - #timeline-chart: the account's recent decisions by time (x) and action (y), the score as the
 *   point's size; clicking a point opens that decision.
 * Tooltips are drawn on the canvas as text (renderMode richText): an HTML tooltip's inline styles are
 * refused by the Content-Security-Policy.
 */
(function () {
  'use strict';

  var ACTIONS = ['ALLOW', 'CHALLENGE', 'REVIEW', 'HOLD', 'DENY'];
  var COLOURS = { ALLOW: '#1a7f37', CHALLENGE: '#9a6700', REVIEW: '#0b5cad', HOLD: '#bc4c00', DENY: '#b42318' };

  function read(el, name) {
    try { return JSON.parse(el.getAttribute(name)); } catch (ignored) { return null; }
  }

  function resizeWith(chart) {
    window.addEventListener('resize', function () { chart.resize(); });
  }

  function explanation() {
    var el = document.getElementById('explanation-chart');
    if (!el || !window.echarts) return;
    var data = read(el, 'data-explanation');
    if (!data || !data.features) return;
    var rows = data.features.slice().reverse(); // the largest on top
    var chart = echarts.init(el);
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 24, top: 8, bottom: 24, containLabel: true },
      tooltip: {
        trigger: 'axis', axisPointer: { type: 'shadow' }, renderMode: 'richText',
        formatter: function (p) {
          var f = rows[p[0].dataIndex];
          return f.feature + '\nvalue ' + String(f.value) + '\ncontribution ' + Number(f.contribution).toFixed(4);
        }
      },
      xAxis: { type: 'value', name: 'log-odds' },
      yAxis: { type: 'category', data: rows.map(function (f) { return f.feature; }), axisLabel: { width: 220, overflow: 'truncate' } },
      series: [{
        type: 'bar',
        data: rows.map(function (f) {
          return { value: f.contribution, itemStyle: { color: f.contribution >= 0 ? '#b42318' : '#1a7f37' } };
        })
      }]
    });
    el.dataset.rendered = String(rows.length);
    resizeWith(chart);
  }

  function timeline() {
    var el = document.getElementById('timeline-chart');
    if (!el || !window.echarts) return;
    var points = read(el, 'data-timeline');
    if (!points) return;
    var current = el.getAttribute('data-current');
    var chart = echarts.init(el);
    chart.setOption({
      animation: false,
      grid: { left: 8, right: 24, top: 16, bottom: 24, containLabel: true },
      tooltip: {
        renderMode: 'richText',
        formatter: function (p) {
          var d = p.data.decision;
          return d.decision_id + '\n' + d.time + '\n' + d.action + ', score ' + d.score + (d.amount ? '\n' + d.amount : '');
        }
      },
      xAxis: { type: 'time' },
      yAxis: { type: 'category', data: ACTIONS },
      series: [{
        type: 'scatter',
        data: points.map(function (d) {
          return {
            value: [d.time, d.action], decision: d,
            symbolSize: 8 + d.score / 8,
            itemStyle: { color: COLOURS[d.action] || '#57606a', borderColor: d.decision_id === current ? '#0d1b2a' : null,
              borderWidth: d.decision_id === current ? 3 : 0 }
          };
        })
      }]
    });
    chart.on('click', function (p) {
      if (p.data && p.data.decision) window.location.assign('/console/decisions/' + encodeURIComponent(p.data.decision.decision_id));
    });
    el.dataset.rendered = String(points.length);
    resizeWith(chart);
  }

  document.addEventListener('DOMContentLoaded', function () {
    explanation();
    timeline();
  });
})();
