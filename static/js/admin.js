// Herold admin: small progressive enhancements. Every page works without this file.
// - Forms marked data-warn-unsaved ask before the page is left with unsaved changes.
// - Buttons with data-confirm ask before submitting (deleting a draft, removing a photo).
// - Choosing "write another contact" opens its fields.
'use strict';
(function () {
  var dirty = false;
  var forms = document.querySelectorAll('form[data-warn-unsaved]');
  forms.forEach(function (form) {
    var initial = new URLSearchParams(new FormData(form)).toString();
    var check = function () { dirty = new URLSearchParams(new FormData(form)).toString() !== initial; };
    form.addEventListener('input', check);
    form.addEventListener('change', check);
    form.addEventListener('submit', function () { dirty = false; });
  });
  // A form shown again after a failed save or a preview holds unsaved text from the start.
  if (forms.length && (document.querySelector('.error-summary') || document.getElementById('preview') || document.getElementById('resumed-notice'))) dirty = true;
  window.addEventListener('beforeunload', function (event) {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = '';
  });
  document.addEventListener('click', function (event) {
    var button = event.target.closest ? event.target.closest('[data-confirm]') : null;
    if (button && !window.confirm(button.getAttribute('data-confirm'))) event.preventDefault();
  });
  var custom = document.getElementById('contact-custom-choice');
  var details = document.querySelector('.contact-custom');
  if (custom && details) {
    document.querySelectorAll('input[name="contactChoice"]').forEach(function (radio) {
      radio.addEventListener('change', function () { details.open = custom.checked; });
    });
  }
  // Live preview: the server renders and sanitises the Markdown (the same code as on save).
  var live = document.getElementById('live-preview');
  var editor = document.getElementById('release-form');
  if (live && editor && window.fetch) {
    var target = live.querySelector('.release-body');
    var timer = null;
    var render = function () {
      fetch(live.getAttribute('data-url'), {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'x-requested-with': 'fetch' },
        body: new URLSearchParams(new FormData(editor)),
      }).then(function (response) {
        if (!response.ok) { live.hidden = true; return null; }
        return response.text();
      }).then(function (html) {
        if (html === null) return;
        target.innerHTML = html;
        live.hidden = false;
      }).catch(function () { live.hidden = true; });
    };
    ['bodyMarkdown', 'dateline'].forEach(function (id) {
      var field = document.getElementById(id);
      if (field) field.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(render, 500); });
    });
    if (document.getElementById('bodyMarkdown') && document.getElementById('bodyMarkdown').value) render();
  }
  var summary = document.getElementById('error-summary');
  if (summary) summary.focus();
})();
