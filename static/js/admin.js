// Herold admin: small progressive enhancements. Every page works without this file.
// - Forms marked data-warn-unsaved ask before the page is left with unsaved changes.
// - Buttons with data-confirm ask before submitting (deleting a draft, removing a photo).
// - Choosing "write another contact" opens its fields.
// - Fields with a limit count their characters as they are typed (the limit is printed without JS).
// - The release editor keeps a copy of what is typed in this browser (localStorage) and offers it
//   back when the form is opened again without it, e.g. after leaving the page unsaved.
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
  // Live counts: „120 von höchstens 250 Zeichen.“ beside every field with a limit.
  document.querySelectorAll('[data-limit]').forEach(function (field) {
    var out = document.getElementById(field.id + '-limit');
    var text = field.form && field.form.getAttribute('data-count-text');
    if (!out || !text) return;
    var max = Number(field.getAttribute('data-limit'));
    var show = function () {
      var count = field.value.length;
      out.textContent = text.replace('{count}', count.toLocaleString(document.documentElement.lang)).replace('{max}', max.toLocaleString(document.documentElement.lang));
      out.classList.toggle('over', count > max);
    };
    field.addEventListener('input', show);
    show();
  });

  // The local copy of the editor form.
  var form = document.getElementById('release-form');
  var key = form && form.getAttribute('data-local-copy');
  var store = null;
  try { store = window.localStorage; } catch (e) { store = null; }
  if (form && key && store) {
    var snapshot = function () {
      var data = {};
      new FormData(form).forEach(function (value, name) {
        if (typeof value !== 'string' || name === '_csrf' || name === 'action') return;
        (data[name] = data[name] || []).push(value);
      });
      return data;
    };
    var initial = JSON.stringify(snapshot());
    var kept = null;
    try { kept = JSON.parse(store.getItem(key) || 'null'); } catch (e) { kept = null; }
    var bar = document.getElementById('local-copy');
    var shownAgain = document.querySelector('.error-summary') || document.getElementById('resumed-notice') || document.getElementById('preview');
    if (kept && kept.values && JSON.stringify(kept.values) !== initial && !shownAgain && bar) bar.hidden = false;
    else store.removeItem(key);
    var save = function () { store.setItem(key, JSON.stringify({ at: Date.now(), values: snapshot() })); };
    form.addEventListener('input', save);
    form.addEventListener('change', save);
    // Sent: the server saves it, or shows the form again with everything typed.
    form.addEventListener('submit', function () { store.removeItem(key); });
    var restore = document.getElementById('local-copy-restore');
    if (restore) restore.addEventListener('click', function () {
      var values = kept.values;
      Array.prototype.forEach.call(form.elements, function (el) {
        if (!el.name || !(el.name in values) || el.type === 'file' || el.name === '_csrf') return;
        if (el.type === 'checkbox' || el.type === 'radio') el.checked = values[el.name].indexOf(el.value) >= 0;
        else el.value = values[el.name][0];
        el.dispatchEvent(new Event('input', { bubbles: true }));
      });
      Array.prototype.forEach.call(form.elements, function (el) {
        if ((el.type === 'checkbox' || el.type === 'radio') && el.name && !(el.name in values)) el.checked = false;
      });
      bar.hidden = true;
      dirty = true;
      var first = form.querySelector('input:not([type=hidden]), textarea');
      if (first) first.focus();
    });
    var discard = document.getElementById('local-copy-discard');
    if (discard) discard.addEventListener('click', function () { store.removeItem(key); bar.hidden = true; });
  }

  var summary = document.getElementById('error-summary');
  if (summary) summary.focus();
})();
