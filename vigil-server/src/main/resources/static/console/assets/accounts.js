/*
 * The account page's identity-link graph (ECharts, force layout; data from data-graph): the account,
 * the identifiers it shares (by kind) and the other accounts linked to them. Clicking an account
 * opens its page; the table under the chart lists the same links for keyboard and screen readers.
 */
(function () {
  'use strict';

  var CATEGORIES = ['self', 'account', 'device', 'phone', 'card', 'national_id', 'email', 'ip'];

  function graph() {
    var el = document.getElementById('links-graph');
    if (!el || !window.echarts) return;
    var data;
    try { data = JSON.parse(el.getAttribute('data-graph')); } catch (ignored) { return; }
    var chart = echarts.init(el);
    chart.setOption({
      animation: false,
      tooltip: {
        renderMode: 'richText', // drawn on the canvas, as text: an HTML tooltip's inline styles are refused by the CSP
        formatter: function (p) {
          if (p.dataType !== 'node') return '';
          return p.data.label + (p.data.account_id ? '\nopen this account' : '');
        }
      },
      legend: [{ data: CATEGORIES, bottom: 0 }],
      series: [{
        type: 'graph', layout: 'force', roam: true, draggable: true,
        force: { repulsion: 220, edgeLength: 90 },
        categories: CATEGORIES.map(function (c) { return { name: c }; }),
        label: { show: true, position: 'right', formatter: function (p) { return p.data.account_id ? p.data.label : CATEGORIES[p.data.category]; } },
        data: data.nodes.map(function (n) {
          return { id: n.id, name: n.id, label: n.label, account_id: n.account_id, category: CATEGORIES.indexOf(n.category) < 0 ? 0 : CATEGORIES.indexOf(n.category),
            symbol: n.account_id ? 'circle' : 'diamond', symbolSize: n.category === 'self' ? 28 : (n.account_id ? 20 : 14) };
        }),
        links: data.edges.map(function (e) { return { source: e.source, target: e.target }; })
      }]
    });
    chart.on('click', function (p) {
      if (p.dataType === 'node' && p.data.account_id && p.data.category !== 0) {
        window.location.assign('/console/accounts/' + encodeURIComponent(p.data.account_id));
      }
    });
    el.dataset.rendered = String(data.nodes.length);
    window.addEventListener('resize', function () { chart.resize(); });
  }

  document.addEventListener('DOMContentLoaded', graph);
})();
