/*
 * The operators page: role checkboxes fill their form's hidden "roles" field (a comma-separated list
 * console.js sends as an array), and a created operator's one-time password is shown once, here only.
 */
(function () {
  'use strict';

  document.addEventListener('change', function (e) {
    var box = e.target;
    if (!box.classList || !box.classList.contains('role-choice')) return;
    var into = document.getElementById(box.dataset.into);
    if (!into) return;
    var form = box.form;
    var chosen = [];
    form.querySelectorAll('.role-choice[data-into="' + CSS.escape(box.dataset.into) + '"]').forEach(function (b) {
      if (b.checked) chosen.push(b.value);
    });
    into.value = chosen.join(',');
  });

  document.addEventListener('vigil:done', function (e) {
    var form = e.target;
    if (!form.hasAttribute || !form.hasAttribute('data-shows-password')) return;
    var created = e.detail || {};
    document.getElementById('created-username').textContent = created.username || '';
    document.getElementById('one-time-password').textContent = created.one_time_password || '';
    var change = created.role_change;
    document.getElementById('created-role-change').textContent = change
      ? 'Roles ' + change.roles.join(', ') + ' wait for a second administrator\'s approval (change ' + change.id + ').'
      : 'No roles yet: propose them below.';
    document.getElementById('created').hidden = false;
    form.reset();
    document.getElementById('new-roles').value = '';
  });
})();
