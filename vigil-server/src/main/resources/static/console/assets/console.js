/*
 * The console's one script of its own (no inline scripts: the Content-Security-Policy forbids them).
 *
 * - htmx requests carry the session's CSRF token (header X-CSRF-Token, from <meta name="csrf-token">).
 * - A <form data-api="/v1/..."> is sent to the public API as JSON (data-method, default POST). Each named
 *   field becomes a member; data-type on a field converts it: number, integer, boolean (a checkbox),
 *   json, lines (one array item per line), list (comma-separated). Empty fields are left out. A {name}
 *   in the path is replaced by that field's value (and the field is not sent). data-raw="field" sends
 *   that field's text as the whole body instead, with data-content-type.
 *   An error is shown next to the field the API names in its "param", in the API's own words, or at
 *   the form's [data-form-error] element. A 403 step_up_required asks for a fresh code and retries.
 *   On success, data-then says what follows (several, space-separated): "reload", "go:/console/...{field}"
 *   (a field of the answer), "event:name" (an event on <body>, for hx-trigger="name from:body"),
 *   "show:#id" (the answer, formatted, as the element's text).
 * - Vigil.api(method, path, body) is the same call for the page scripts.
 */
(function () {
  'use strict';

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.content : '';
  }

  document.addEventListener('htmx:configRequest', function (e) {
    e.detail.headers['X-CSRF-Token'] = csrfToken();
  });

  async function send(method, path, body, contentType) {
    var headers = { 'Accept': 'application/json', 'X-CSRF-Token': csrfToken() };
    if (body !== undefined) headers['Content-Type'] = contentType || 'application/json';
    var response = await fetch(path, { method: method, headers: headers, body: body, credentials: 'same-origin' });
    var text = await response.text();
    var json = null;
    try { json = text ? JSON.parse(text) : null; } catch (ignored) { json = { text: text }; }
    return { ok: response.ok, status: response.status, json: json, text: text };
  }

  /** Calls the API; on 403 step_up_required asks for a code once and retries. */
  async function api(method, path, body, contentType) {
    var reply = await send(method, path, body, contentType);
    if (reply.status === 403 && errorOf(reply).code === 'step_up_required') {
      var stepped = await stepUp();
      if (stepped) reply = await send(method, path, body, contentType);
    }
    return reply;
  }

  function errorOf(reply) {
    return (reply.json && reply.json.error) || { code: 'http_' + reply.status, message: 'The server answered ' + reply.status };
  }

  /** Shows the step-up dialog; resolves true once a code was accepted, false when cancelled. */
  function stepUp() {
    var dialog = document.getElementById('step-up');
    if (!dialog) return Promise.resolve(false);
    var form = dialog.querySelector('form');
    var error = dialog.querySelector('[data-form-error]');
    error.textContent = '';
    form.reset();
    dialog.showModal();
    form.querySelector('input[name="code"]').focus();
    return new Promise(function (resolve) {
      function done(result) {
        form.removeEventListener('submit', onSubmit);
        dialog.removeEventListener('cancel', onCancel);
        cancel.removeEventListener('click', onCancel);
        dialog.close();
        resolve(result);
      }
      async function onSubmit(e) {
        e.preventDefault();
        e.stopPropagation();
        var code = form.querySelector('input[name="code"]').value.trim();
        var reply = await send('POST', '/v1/auth/step-up', JSON.stringify({ code: code }));
        if (reply.ok) { done(true); return; }
        error.textContent = errorOf(reply).message;
      }
      function onCancel(e) { e.preventDefault(); done(false); }
      var cancel = dialog.querySelector('[data-cancel]');
      form.addEventListener('submit', onSubmit);
      dialog.addEventListener('cancel', onCancel);
      cancel.addEventListener('click', onCancel);
    });
  }

  function convert(field) {
    var type = field.dataset.type;
    if (type === 'boolean') return field.checked;
    var value = field.value;
    if (value === '' || value === undefined) return undefined;
    switch (type) {
      case 'number': return Number(value);
      case 'integer': return parseInt(value, 10);
      case 'json': return JSON.parse(value);
      case 'lines': return value.split(/\r?\n/).map(function (s) { return s.trim(); }).filter(Boolean);
      case 'list': return value.split(',').map(function (s) { return s.trim(); }).filter(Boolean);
      default: return value;
    }
  }

  function put(target, name, value) {
    var parts = name.split('.');
    var at = target;
    for (var i = 0; i < parts.length - 1; i++) {
      if (typeof at[parts[i]] !== 'object' || at[parts[i]] === null) at[parts[i]] = {};
      at = at[parts[i]];
    }
    at[parts[parts.length - 1]] = value;
  }

  /** The form's fields as JSON; the names used in the path are taken out. Throws {param, message} on bad JSON. */
  function formJson(form, used) {
    var body = {};
    Array.prototype.forEach.call(form.elements, function (field) {
      if (!field.name || field.disabled || used.indexOf(field.name) >= 0 || field.dataset.skip !== undefined) return;
      if ((field.type === 'radio') && !field.checked) return;
      if (field.type === 'checkbox' && field.dataset.type !== 'boolean' && !field.checked) return;
      var value;
      try { value = convert(field); } catch (bad) { throw { param: field.name, message: 'This is not valid JSON: ' + bad.message }; }
      if (value !== undefined) put(body, field.name, value);
    });
    return body;
  }

  function clearErrors(form) {
    form.querySelectorAll('.field-error').forEach(function (el) { el.textContent = ''; el.hidden = true; });
    form.querySelectorAll('[aria-invalid]').forEach(function (el) { el.removeAttribute('aria-invalid'); });
    var formError = form.querySelector('[data-form-error]');
    if (formError) formError.textContent = '';
  }

  /** The API's error next to the field it names, else at the form's error line. */
  function showError(form, error) {
    var param = error.param || '';
    var field = param ? fieldFor(form, param) : null;
    var text = error.message + (error.code ? ' (' + error.code + ')' : '');
    if (field) {
      var slot = form.querySelector('.field-error[data-for="' + cssEscape(field.name) + '"]');
      if (!slot) {
        slot = document.createElement('p');
        slot.className = 'field-error';
        slot.dataset.for = field.name;
        slot.id = 'error-' + field.name.replace(/[^A-Za-z0-9_-]/g, '-');
        field.insertAdjacentElement('afterend', slot);
      }
      slot.textContent = text;
      slot.hidden = false;
      slot.setAttribute('role', 'alert');
      field.setAttribute('aria-invalid', 'true');
      field.setAttribute('aria-describedby', slot.id);
      field.focus();
      return;
    }
    var line = form.querySelector('[data-form-error]');
    if (line) line.textContent = text;
    else window.alert(text);
  }

  /** The field an API param names: the same name, or its first segment ("rules[0].when" -> "rules"), or the last ("policy.when" -> "when"). */
  function fieldFor(form, param) {
    var candidates = [param, param.split(/[.[]/)[0], param.split('.').pop()];
    for (var i = 0; i < candidates.length; i++) {
      var f = form.querySelector('[name="' + cssEscape(candidates[i]) + '"]');
      if (f) return f;
    }
    return null;
  }

  function cssEscape(s) {
    return window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/"/g, '\\"');
  }

  function fill(template, source) {
    return template.replace(/\{([A-Za-z0-9_.]+)\}/g, function (m, name) {
      var value = typeof source === 'function' ? source(name) : source[name];
      return encodeURIComponent(value === undefined || value === null ? '' : value);
    });
  }

  function then(form, json) {
    (form.dataset.then || '').split(/\s+/).filter(Boolean).forEach(function (step) {
      if (step === 'reload') window.location.reload();
      else if (step.indexOf('go:') === 0) window.location.assign(fill(step.slice(3), json || {}));
      else if (step.indexOf('event:') === 0) document.body.dispatchEvent(new CustomEvent(step.slice(6), { detail: json }));
      else if (step.indexOf('show:') === 0) {
        var target = document.querySelector(step.slice(5));
        if (target) { target.textContent = JSON.stringify(json, null, 2); target.hidden = false; }
      }
    });
  }

  async function submit(form) {
    clearErrors(form);
    var method = (form.dataset.method || 'POST').toUpperCase();
    var used = [];
    var path = fill(form.dataset.api, function (name) {
      used.push(name);
      var field = form.elements.namedItem(name);
      return field ? field.value : '';
    });
    var body;
    var contentType;
    try {
      if (form.dataset.raw) {
        body = form.elements.namedItem(form.dataset.raw).value;
        contentType = form.dataset.contentType;
      } else if (method !== 'GET' && method !== 'DELETE') {
        body = JSON.stringify(formJson(form, used));
      }
    } catch (bad) {
      showError(form, bad);
      return;
    }
    var button = form.querySelector('[type="submit"]');
    if (button) button.disabled = true;
    try {
      var reply = await api(method, path, body, contentType);
      if (reply.ok) {
        form.dispatchEvent(new CustomEvent('vigil:done', { bubbles: true, detail: reply.json }));
        then(form, reply.json);
      } else {
        showError(form, errorOf(reply));
      }
    } finally {
      if (button) button.disabled = false;
    }
  }

  document.addEventListener('submit', function (e) {
    var form = e.target;
    if (!(form instanceof HTMLFormElement) || form.dataset.api === undefined) return;
    e.preventDefault();
    submit(form);
  });

  // A button with data-confirm asks before its form is sent.
  document.addEventListener('click', function (e) {
    var button = e.target.closest ? e.target.closest('[data-confirm]') : null;
    if (button && !window.confirm(button.dataset.confirm)) e.preventDefault();
  });

  window.Vigil = { api: api, submit: submit, showError: showError, clearErrors: clearErrors, stepUp: stepUp };
})();
