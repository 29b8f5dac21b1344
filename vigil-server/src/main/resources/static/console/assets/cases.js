/*
 * The cases screens. Most forms are console.js's data-api forms; four need more than a JSON form:
 * - Take next (#take-next): POST /v1/cases/take-next with the tab's queue, then the taken case's page;
 *   when no case waits (404 no_case_waiting) it says so in words.
 * - Bulk actions (#bulk): the selected rows' ids with the action; each row then shows its own result.
 * - Upload (#upload-form): the file itself is the body, its type the Content-Type, its name ?file_name=.
 * - The verdict (#verdict-form): list entries are an array of objects, which a flat form cannot name.
 * Errors are shown as console.js shows them: next to the field the API names, else under the form.
 */
(function () {
  'use strict';

  function errorOf(reply) {
    return (reply.json && reply.json.error) || { code: 'http_' + reply.status, message: 'The server answered ' + reply.status };
  }

  async function busy(form, work) {
    var button = form.querySelector('[type="submit"]');
    if (button) button.disabled = true;
    try { await work(); } finally { if (button) button.disabled = false; }
  }

  async function takeNext(form) {
    Vigil.clearErrors(form);
    var queue = form.dataset.queue || '';
    var body = queue ? { queue_id: queue } : {};
    var reply = await Vigil.api('POST', '/v1/cases/take-next', JSON.stringify(body));
    if (reply.ok) {
      window.location.assign('/console/cases/' + encodeURIComponent(reply.json.case_id));
      return;
    }
    var error = errorOf(reply);
    var line = form.querySelector('[data-form-error]');
    if (reply.status === 404 && error.code === 'no_case_waiting') {
      line.textContent = queue ? 'No case is waiting in this queue: every case is taken or closed.'
        : 'No case is waiting in the queues you work: every case is taken or closed.';
    } else {
      line.textContent = error.message + (error.code ? ' (' + error.code + ')' : '');
    }
  }

  function selectedIds() {
    return Array.prototype.map.call(document.querySelectorAll('input.case-select:checked'), function (b) { return b.value; });
  }

  async function bulk(form) {
    Vigil.clearErrors(form);
    var summary = document.getElementById('bulk-summary');
    summary.textContent = '';
    var ids = selectedIds();
    if (ids.length === 0) {
      Vigil.showError(form, { message: 'Select one or more cases first' });
      return;
    }
    var action = form.elements.namedItem('action').value;
    var body = { case_ids: ids, action: action };
    if (action === 'reassign') body.assignee_id = form.elements.namedItem('assignee_id').value.trim();
    else body.duplicate_of = form.elements.namedItem('duplicate_of').value.trim();
    var reply = await Vigil.api('POST', '/v1/cases/bulk', JSON.stringify(body));
    if (!reply.ok) { Vigil.showError(form, errorOf(reply)); return; }
    var done = 0;
    reply.json.results.forEach(function (r) {
      var cell = document.getElementById('bulk-result-' + r.case_id);
      if (r.status === 'done') {
        done++;
        if (cell) { cell.textContent = 'Done'; cell.className = 'bulk-result done'; }
        var row = document.getElementById('case-row-' + r.case_id);
        if (row && r.case) {
          row.querySelector('.case-assignee').textContent = r.case.assignee_id || '—';
          row.querySelector('.case-status').textContent = label(r.case.status);
        }
      } else if (cell) {
        cell.textContent = 'Refused: ' + r.error.message + ' (' + r.error.code + ')';
        cell.className = 'bulk-result refused';
      }
    });
    summary.textContent = done + ' of ' + reply.json.results.length + ' cases done.';
  }

  function label(wire) {
    var words = String(wire || '').replace(/_/g, ' ');
    return words.charAt(0).toUpperCase() + words.slice(1);
  }

  async function upload(form) {
    Vigil.clearErrors(form);
    var field = form.elements.namedItem('file');
    var file = field.files && field.files[0];
    if (!file) { Vigil.showError(form, { param: 'file', message: 'Choose a file first' }); return; }
    var path = '/v1/cases/' + encodeURIComponent(form.dataset.caseId) + '/attachments?file_name=' + encodeURIComponent(file.name);
    var reply = await Vigil.api('POST', path, file, file.type || 'application/octet-stream');
    if (reply.ok) { window.location.reload(); return; }
    var error = errorOf(reply);
    // Every error of an upload is about the file (its name, type, size or content): shown next to it.
    Vigil.showError(form, { param: 'file', code: error.code, message: error.message });
  }

  async function verdict(form) {
    Vigil.clearErrors(form);
    var chosen = form.querySelector('input[name="verdict"]:checked');
    var body = {
      verdict: chosen ? chosen.value : undefined,
      reason_code: form.elements.namedItem('reason_code').value.trim() || undefined,
      // Empty: the verdict's own default (confirmed fraud denies, legitimate releases, inconclusive keeps).
      hold: form.elements.namedItem('hold').value || undefined,
      restrictions: form.elements.namedItem('restrictions').value,
      list_entries: [],
      confirm_list_entries: form.elements.namedItem('confirm_list_entries').checked,
      expected_version: parseInt(form.elements.namedItem('expected_version').value, 10)
    };
    form.querySelectorAll('.list-entry').forEach(function (row, i) {
      function value(part) { return form.elements.namedItem('list_entries[' + i + '].' + part).value.trim(); }
      if (value('list') || value('entity') || value('value')) {
        body.list_entries.push({ list: value('list'), entity: value('entity'), value: value('value') });
      }
    });
    var path = '/v1/cases/' + encodeURIComponent(form.dataset.caseId) + '/verdict';
    var reply = await Vigil.api('POST', path, JSON.stringify(body));
    if (reply.ok) { window.location.reload(); return; }
    Vigil.showError(form, errorOf(reply));
  }

  var handlers = { 'take-next': takeNext, 'bulk': bulk, 'upload-form': upload, 'verdict-form': verdict };

  document.addEventListener('submit', function (e) {
    var form = e.target;
    var handler = form instanceof HTMLFormElement ? handlers[form.id] : null;
    if (!handler) return;
    e.preventDefault();
    busy(form, function () { return handler(form); });
  });

  // Selecting rows: "select all" ticks the page's rows; a changed selection clears the last error.
  document.addEventListener('change', function (e) {
    if (e.target.id === 'select-all') {
      document.querySelectorAll('input.case-select').forEach(function (b) { b.checked = e.target.checked; });
    }
    var form = document.getElementById('bulk');
    if (form && (e.target.id === 'select-all' || e.target.classList.contains('case-select'))) Vigil.clearErrors(form);
  });
})();
