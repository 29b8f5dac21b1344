/*
 * The rule editor: the expression is compiled by the server as you type (POST /v1/rules/validate,
 * 400 ms after the last key), its errors shown with their line and column next to the field; the
 * draft is tested against a pasted event (POST /v1/rules/test) and backtested against the stored
 * decisions (POST /v1/rules/backtest). Saving is the form's own data-api (console.js).
 * Everything the server answers is shown with textContent, never as HTML.
 */
(function () {
  'use strict';

  var DELAY_MS = 400;
  var form = document.getElementById('rule-form');
  if (!form) return;
  var check = document.getElementById('expression-check');
  var expression = document.getElementById('rule-expression');

  function field(name) {
    return form.elements.namedItem(name);
  }

  function text(name) {
    var f = field(name);
    return f ? f.value.trim() : '';
  }

  /** The draft as the rule API takes it, from the form as it is now (an empty id reads as "draft"). */
  function draft() {
    var rule = { id: text('id') || 'draft', expression: field('expression').value, reason: text('reason') };
    if (text('description')) rule.description = text('description');
    var types = text('event_types').split(',').map(function (s) { return s.trim(); }).filter(Boolean);
    if (types.length) rule.event_types = types;
    var effect = {};
    if (text('effect.action')) {
      effect.action = text('effect.action');
      if (text('effect.challenge')) effect.challenge = text('effect.challenge');
    } else if (text('effect.points') !== '') {
      effect.points = Number(text('effect.points'));
    }
    if (text('effect.restrict.kind')) {
      effect.restrict = { kind: text('effect.restrict.kind'), duration_minutes: Number(text('effect.restrict.duration_minutes')) };
    }
    rule.effect = effect;
    rule.enabled = field('enabled').checked;
    return rule;
  }

  function el(tag, content, className) {
    var e = document.createElement(tag);
    if (content !== undefined && content !== null) e.textContent = String(content);
    if (className) e.className = className;
    return e;
  }

  function errorOf(reply) {
    return (reply.json && reply.json.error) || { message: 'The server answered ' + reply.status };
  }

  // ---- Proposing the rule as a change request (a second operator approves it) ----
  var propose = document.getElementById('propose-rule');
  if (propose) {
    propose.addEventListener('click', async function () {
      window.Vigil.clearErrors(form);
      var rule = draft();
      propose.disabled = true;
      try {
        var live = await window.Vigil.api('GET', '/v1/policy');
        if (!live.ok) { window.Vigil.showError(form, errorOf(live)); return; }
        var rules = live.json.rules.filter(function (r) { return r.id !== rule.id; });
        var at = live.json.rules.findIndex(function (r) { return r.id === rule.id; });
        if (at < 0) rules.push(rule); else rules.splice(at, 0, rule);
        var reason = document.getElementById('change-reason').value.trim() || ('Change rule ' + rule.id);
        var reply = await window.Vigil.api('POST', '/v1/change-requests',
          JSON.stringify({ kind: 'policy', reason: reason, proposed: { rules: rules } }));
        if (reply.ok) window.location.assign('/console/changes/' + encodeURIComponent(reply.json.id));
        else window.Vigil.showError(form, errorOf(reply));
      } finally {
        propose.disabled = false;
      }
    });
  }

  // ---- Validation as you type ----
  var timer = null;
  var sent = 0;

  async function validate() {
    var mine = ++sent;
    var reply = await window.Vigil.api('POST', '/v1/rules/validate', JSON.stringify(draft()));
    if (mine !== sent) return; // a newer check is on its way
    check.replaceChildren();
    if (reply.ok) {
      check.className = 'expression-check check-ok';
      var names = reply.json.referenced_names || [];
      check.textContent = 'Compiles.' + (names.length ? ' Reads ' + names.join(', ') + '.' : '');
      expression.removeAttribute('aria-invalid');
      return;
    }
    var error = errorOf(reply);
    check.className = 'expression-check check-error';
    expression.setAttribute('aria-invalid', String(error.param === 'expression'));
    var issues = error.issues || [];
    if (error.code === 'rule_compile_error' && issues.length) {
      check.appendChild(el('span', error.param === 'expression' ? 'The expression does not compile:' : 'The ' + error.param + ' does not compile:'));
      var list = el('ul');
      issues.forEach(function (issue) {
        var where = issue.line > 0 ? 'Line ' + issue.line + ', column ' + issue.column + ': ' : '';
        list.appendChild(el('li', where + issue.message, 'issue'));
      });
      check.appendChild(list);
    } else {
      check.textContent = (error.param ? error.param + ': ' : '') + error.message + (error.code ? ' (' + error.code + ')' : '');
    }
  }

  function schedule() {
    if (timer) clearTimeout(timer);
    timer = setTimeout(validate, DELAY_MS);
  }

  form.addEventListener('input', schedule);
  form.addEventListener('change', schedule);
  validate();

  // ---- Test against a pasted event ----
  function parsed(id, label, optional) {
    var value = document.getElementById(id).value.trim();
    if (!value && optional) return undefined;
    try {
      return JSON.parse(value);
    } catch (bad) {
      throw new Error(label + ' is not valid JSON: ' + bad.message);
    }
  }

  function valuesTable(values) {
    var table = el('table');
    var head = el('tr');
    head.appendChild(el('th', 'Name'));
    head.appendChild(el('th', 'Value read'));
    table.appendChild(head);
    Object.keys(values || {}).forEach(function (name) {
      var row = el('tr');
      row.appendChild(el('td', name));
      row.appendChild(el('td', JSON.stringify(values[name])));
      table.appendChild(row);
    });
    return table;
  }

  function showError(target, error) {
    target.replaceChildren(el('p', (error.param ? error.param + ': ' : '') + error.message + (error.code ? ' (' + error.code + ')' : ''), 'bad'));
    if (error.issues) {
      var list = el('ul');
      error.issues.forEach(function (issue) {
        list.appendChild(el('li', (issue.line > 0 ? 'Line ' + issue.line + ', column ' + issue.column + ': ' : '') + issue.message));
      });
      target.appendChild(list);
    }
  }

  var testForm = document.getElementById('test-form');
  var testResult = document.getElementById('test-result');
  testForm.addEventListener('submit', async function (e) {
    e.preventDefault();
    var body;
    try {
      body = { rule: draft(), event: parsed('test-event', 'The event') };
      var values = parsed('test-values', 'The values', true);
      if (values !== undefined) body.values = values;
    } catch (bad) {
      showError(testResult, { message: bad.message });
      return;
    }
    testResult.replaceChildren(el('p', 'Testing…', 'muted'));
    var reply = await window.Vigil.api('POST', '/v1/rules/test', JSON.stringify(body));
    if (!reply.ok) { showError(testResult, errorOf(reply)); return; }
    var r = reply.json;
    var verdict = !r.applies ? 'Does not apply to this event type' : r.fires ? 'Fires' : 'Does not fire';
    testResult.replaceChildren(el('p', verdict, 'verdict ' + (r.fires ? 'bad' : 'ok')));
    testResult.firstChild.id = 'test-verdict';
    if (r.reason) testResult.appendChild(el('p', 'Reason: ' + r.reason));
    if (r.error) testResult.appendChild(el('p', 'Evaluation error: ' + r.error, 'bad'));
    testResult.appendChild(valuesTable(r.values));
  });

  // ---- Backtest against the journal ----
  var backtestForm = document.getElementById('backtest-form');
  var backtestResult = document.getElementById('backtest-result');
  if (backtestForm) {
    backtestForm.addEventListener('submit', async function (e) {
      e.preventDefault();
      var days = parseInt(document.getElementById('backtest-days').value, 10);
      backtestResult.replaceChildren(el('p', 'Reading the stored decisions…', 'muted'));
      var reply = await window.Vigil.api('POST', '/v1/rules/backtest', JSON.stringify({ rule: draft(), days: days }));
      if (!reply.ok) { showError(backtestResult, errorOf(reply)); return; }
      showBacktest(reply.json);
    });
  }

  function pct(x) {
    return x === null || x === undefined ? 'no labels' : (100 * x).toFixed(1) + '%';
  }

  function showBacktest(r) {
    var facts = el('dl', null, 'facts');
    function fact(label, value, id) {
      facts.appendChild(el('dt', label));
      var dd = el('dd', value);
      if (id) dd.id = id;
      facts.appendChild(dd);
    }
    fact('Decisions evaluated', r.evaluated + (r.truncated ? ' (the newest ' + r.read + ' read; older ones left out)' : ''), 'backtest-evaluated');
    fact('Fires', r.fires, 'backtest-fires');
    fact('Fire rate', pct(r.fire_rate), 'backtest-fire-rate');
    fact('Precision', r.labelled ? pct(r.precision) + ' (' + r.labelled_fraud + ' fraud of ' + r.labelled + ' labelled)' : 'no labels', 'backtest-precision');
    if (r.live_fires !== null && r.live_fires !== undefined) fact('Live rule fired', r.live_fires, 'backtest-live-fires');
    fact('Decisions whose action would change', r.action_changes, 'backtest-changes');
    if (r.errors) fact('Evaluation errors', r.errors);
    backtestResult.replaceChildren(facts);
    if (r.changes && r.changes.length) {
      var table = el('table');
      table.id = 'backtest-changes-table';
      var head = el('tr');
      ['Decision', 'Occurred', 'Action', 'Would be'].forEach(function (h) { head.appendChild(el('th', h)); });
      table.appendChild(head);
      r.changes.forEach(function (c) {
        var row = el('tr');
        var cell = el('td');
        var link = el('a', c.decision_id);
        link.href = '/console/decisions/' + encodeURIComponent(c.decision_id);
        cell.appendChild(link);
        row.appendChild(cell);
        row.appendChild(el('td', c.occurred_at));
        row.appendChild(el('td')).appendChild(el('span', c.action, 'tag action-' + c.action));
        row.appendChild(el('td')).appendChild(el('span', c.would_be, 'tag action-' + c.would_be));
        table.appendChild(row);
      });
      var wrap = el('div', null, 'table-wrap');
      wrap.appendChild(table);
      backtestResult.appendChild(wrap);
    }
  }
})();
