/*
 * The models screen's chart: the live and the shadow model's fraud probability on each of the newest
 * decisions the shadow scored (data-points on the chart element, from the server). The tooltip is
 * drawn on the canvas (renderMode richText): an HTML tooltip's inline styles are refused by the CSP.
 */
(function () {
  'use strict';

  document.addEventListener('DOMContentLoaded', function () {
    var el = document.getElementById('shadow-chart');
    if (!el || !window.echarts) return;
    var points = JSON.parse(el.dataset.points).points;
    var chart = window.echarts.init(el);
    chart.setOption({
      animation: false,
      tooltip: { trigger: 'axis', renderMode: 'richText' }, // drawn on the canvas: HTML tooltips carry inline styles the CSP refuses
      legend: { data: ['live: ' + el.dataset.live, 'shadow: ' + el.dataset.shadow] },
      grid: { left: 50, right: 20, top: 40, bottom: 40 },
      xAxis: { type: 'time' },
      yAxis: { type: 'value', min: 0, max: 1, name: 'fraud probability' },
      series: [
        { name: 'live: ' + el.dataset.live, type: 'line', showSymbol: true, symbolSize: 4,
          data: points.map(function (p) { return [p[0], p[1]]; }) },
        { name: 'shadow: ' + el.dataset.shadow, type: 'line', showSymbol: true, symbolSize: 4,
          data: points.map(function (p) { return [p[0], p[2]]; }) }
      ]
    });
    chart.on('showTip', function () { el.dataset.tooltip = 'shown'; });
    el.dataset.rendered = 'true';
    window.addEventListener('resize', function () { chart.resize(); });
  });
})();
