/*
 * The API keys page: scope checkboxes fill the hidden "scopes" field (a comma-separated list console.js
 * sends as an array), the expiry's date-time field fills "expires_at" as an RFC 3339 UTC time, and a
 * new or rotated key's secret is shown once, here only.
 */
(function () {
  'use strict';

  document.addEventListener('change', function (e) {
    var field = e.target;
    if (field.classList && field.classList.contains('scope-choice')) {
      var chosen = [];
      field.form.querySelectorAll('.scope-choice').forEach(function (b) { if (b.checked) chosen.push(b.value); });
      document.getElementById(field.dataset.into).value = chosen.join(',');
    } else if (field.dataset && field.dataset.utcInto) {
      var v = field.value;
      document.getElementById(field.dataset.utcInto).value = v ? (v.length === 16 ? v + ':00Z' : v + 'Z') : '';
    }
  });

  document.addEventListener('vigil:done', function (e) {
    var form = e.target;
    if (!form.hasAttribute || !form.hasAttribute('data-shows-secret')) return;
    var key = e.detail || {};
    document.getElementById('new-key-id').textContent = key.id || '';
    document.getElementById('new-secret').textContent = key.secret || '';
    document.getElementById('new-secret-panel').hidden = false;
    if (form.id === 'issue-key') {
      form.reset();
      document.getElementById('key-scopes').value = '';
      document.getElementById('key-expires-at').value = '';
    }
  });
})();
