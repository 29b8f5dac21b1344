/*
 * The reference screen's lookup: asks GET /v1/reference/lookup for the fields filled in and shows
 * each part of the answer as a table of fields. An e-mail address is looked up by its domain.
 */
(function () {
  'use strict';

  var TITLES = { ip: 'IP address', phone: 'Phone', bin: 'Card BIN', email_domain: 'E-mail domain', currency: 'Currency' };

  function table(title, fields) {
    var wrap = document.createElement('div');
    wrap.className = 'table-wrap';
    var t = document.createElement('table');
    t.className = 'lookup-answer';
    var caption = document.createElement('caption');
    caption.textContent = title;
    t.appendChild(caption);
    var head = t.createTHead().insertRow();
    ['Field', 'Value'].forEach(function (name) {
      var th = document.createElement('th');
      th.textContent = name;
      head.appendChild(th);
    });
    var body = t.createTBody();
    Object.keys(fields).forEach(function (key) {
      var row = body.insertRow();
      row.insertCell().textContent = key;
      var value = fields[key];
      row.insertCell().textContent = value === null || value === undefined ? '—' : String(value);
    });
    wrap.appendChild(t);
    return wrap;
  }

  document.addEventListener('DOMContentLoaded', function () {
    var form = document.getElementById('lookup');
    if (!form) return;
    var out = document.getElementById('lookup-result');
    form.addEventListener('submit', async function (e) {
      e.preventDefault();
      window.Vigil.clearErrors(form);
      var params = new URLSearchParams();
      Object.keys(TITLES).forEach(function (name) {
        var value = form.elements.namedItem(name).value.trim();
        if (name === 'email_domain' && value.indexOf('@') >= 0) value = value.slice(value.lastIndexOf('@') + 1);
        if (value) params.set(name, value);
      });
      var reply = await window.Vigil.api('GET', '/v1/reference/lookup?' + params.toString());
      out.replaceChildren();
      if (!reply.ok) {
        window.Vigil.showError(form, (reply.json && reply.json.error) || { message: 'The server answered ' + reply.status });
        return;
      }
      var version = document.createElement('p');
      version.className = 'muted';
      version.textContent = 'Reference data version ' + reply.json.reference_version;
      out.appendChild(version);
      Object.keys(TITLES).forEach(function (name) {
        if (reply.json[name]) out.appendChild(table(TITLES[name], reply.json[name]));
      });
    });
  });
})();
