/*
 * The lists screen's import form: a chosen file is read into the form's text area (so it can be
 * checked before it is sent), and the body's Content-Type follows the chosen format.
 */
(function () {
  'use strict';

  var TYPES = { csv: 'text/csv', json: 'application/json' };

  document.addEventListener('DOMContentLoaded', function () {
    var form = document.getElementById('import');
    if (!form) return;
    var format = form.querySelector('[name="format"]');
    var picker = document.getElementById('import-file-picker');
    var text = form.querySelector('[name="file"]');

    format.addEventListener('change', function () {
      form.dataset.contentType = TYPES[format.value] || TYPES.csv;
    });
    picker.addEventListener('change', function () {
      var file = picker.files && picker.files[0];
      if (!file) return;
      if (/\.json$/i.test(file.name)) { format.value = 'json'; form.dataset.contentType = TYPES.json; }
      if (/\.csv$/i.test(file.name)) { format.value = 'csv'; form.dataset.contentType = TYPES.csv; }
      file.text().then(function (contents) { text.value = contents; });
    });
  });
})();
