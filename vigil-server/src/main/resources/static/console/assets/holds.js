/*
 * The approvals inbox: once an approval or a rejection is recorded, the hold's card is rendered again
 * by the server (its data-card route) and replaces the old one, so the page says what the inbox would
 * say after a reload without writing any of it here.
 */
(function () {
  'use strict';

  document.addEventListener('vigil:done', function (e) {
    var form = e.target;
    if (!form.classList || !(form.classList.contains('approve') || form.classList.contains('reject'))) return;
    var card = form.closest('section.hold');
    if (card && card.dataset.card) htmx.ajax('GET', card.dataset.card, { target: card, swap: 'outerHTML' });
  });
})();
