/*
 * The sign-in page's steps. Each step is a form sent to the API by console.js; the answer's status
 * says which step comes next: totp_required, password_change_required, totp_enrolment_required or
 * signed_in (then to the console, after showing new recovery codes once).
 */
(function () {
  'use strict';
  var steps = ['password-step', 'totp-step', 'recovery-step', 'password-change-step', 'enrolment-step', 'recovery-codes-step'];
  var typedPassword = '';

  function show(id) {
    steps.forEach(function (s) {
      var el = document.getElementById(s);
      if (el) el.hidden = s !== id;
    });
    var section = document.getElementById(id);
    var first = section && section.querySelector('input:not([type=hidden]), button, a');
    if (first) first.focus();
  }

  async function enrol() {
    var reply = await Vigil.api('POST', '/v1/auth/totp/enrolment', '{}');
    if (!reply.ok) {
      Vigil.showError(document.querySelector('#password-step form'), reply.json.error);
      show('password-step');
      return;
    }
    document.getElementById('enrolment-qr').src = 'data:image/png;base64,' + reply.json.qr_code_png_base64;
    var secret = new URL(reply.json.otpauth_uri).searchParams.get('secret') || '';
    document.getElementById('enrolment-secret').textContent = secret.replace(/(.{4})/g, '$1 ').trim();
    show('enrolment-step');
  }

  function next(json) {
    switch (json.status) {
      case 'totp_required': show('totp-step'); break;
      case 'password_change_required':
        document.querySelector('#password-change-step input[name="current_password"]').value = typedPassword;
        show('password-change-step');
        break;
      case 'totp_enrolment_required': enrol(); break;
      case 'signed_in':
        if (json.recovery_codes && json.recovery_codes.length) {
          var list = document.getElementById('recovery-codes');
          list.textContent = '';
          json.recovery_codes.forEach(function (c) {
            var li = document.createElement('li');
            li.textContent = c;
            list.appendChild(li);
          });
          show('recovery-codes-step');
        } else {
          window.location.assign('/console');
        }
        break;
      default: break;
    }
  }

  document.addEventListener('DOMContentLoaded', function () {
    var passwordForm = document.querySelector('#password-step form');
    passwordForm.addEventListener('submit', function () {
      typedPassword = passwordForm.elements.namedItem('password').value;
    }, true);
    document.querySelectorAll('form[data-then="signin"]').forEach(function (form) {
      form.addEventListener('vigil:done', function (e) { next(e.detail); });
    });
    document.getElementById('use-recovery-code').addEventListener('click', function () { show('recovery-step'); });
    document.getElementById('use-totp').addEventListener('click', function () { show('totp-step'); });
    document.getElementById('continue').addEventListener('click', function () { window.location.assign('/console'); });
    show('password-step');
  });
})();
