/*
 * The approvals inbox: once an approval or a rejection is recorded, the hold's card shows the state
 * the API answered (status, approvals, rejection, what it still needs) without reloading the page.
 */
(function () {
  'use strict';

  function text(el, value) { if (el) el.textContent = value; }

  function stillNeeded(hold) {
    var needed = [];
    if (hold.status !== 'pending') return needed;
    var roles = hold.required_roles || {};
    var slots = 0;
    Object.keys(roles).forEach(function (role) {
      var have = hold.approvals.filter(function (a) { return a.role === role; }).length;
      var missing = Math.max(0, roles[role] - have);
      slots += missing;
      if (missing > 0) needed.push(missing + ' ' + role + (missing === 1 ? '' : 's'));
    });
    var any = Math.max(0, hold.approvals_required - hold.approvals.length - slots);
    if (any > 0) needed.push(any + ' more approval' + (any === 1 ? '' : 's') + ' (approver or supervisor)');
    if ((hold.waiting_for || []).indexOf('challenge') >= 0) needed.push("the payer's challenge result");
    return needed;
  }

  document.addEventListener('vigil:done', function (e) {
    var form = e.target;
    if (!form.classList || !(form.classList.contains('approve') || form.classList.contains('reject'))) return;
    var hold = e.detail;
    var card = form.closest('section.hold');
    var status = card.querySelector('.hold-status');
    text(status, hold.status);
    status.classList.toggle('ok', hold.status === 'approved');
    status.classList.toggle('bad', hold.status === 'rejected' || hold.status === 'expired');
    text(card.querySelector('.approvals-count'), hold.approvals.length + ' of ' + hold.approvals_required);
    var list = card.querySelector('ul.approvals');
    list.replaceChildren();
    hold.approvals.forEach(function (a) {
      var li = document.createElement('li');
      li.textContent = a.approver_id + ' as ' + a.role + ', ' + a.approved_at;
      list.appendChild(li);
    });
    var needed = stillNeeded(hold);
    var line = card.querySelector('.still-needed');
    if (!line) {
      line = document.createElement('p');
      line.className = 'still-needed';
      list.insertAdjacentElement('afterend', line);
    }
    line.textContent = needed.length ? 'Still needed: ' + needed.join('; ') : '';
    if (hold.rejection) {
      var rejected = document.createElement('p');
      rejected.className = 'rejection';
      rejected.textContent = 'Rejected by ' + hold.rejection.rejected_by + (hold.rejection.reason ? ': ' + hold.rejection.reason : '');
      line.insertAdjacentElement('afterend', rejected);
    }
    if (hold.status !== 'pending') card.querySelectorAll('form.approve, form.reject').forEach(function (f) { f.remove(); });
  });
})();
