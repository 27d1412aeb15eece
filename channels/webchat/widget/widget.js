/*
 * Nabta web chat widget. Served as /widget.js inside a closure that also holds the socket.io client
 * (`io`), so a host page gets one script, no globals and — in a shadow root — no CSS leaks either way.
 * Plain ES2017 on purpose: it runs on whatever browser a visitor has, with no build step.
 */
var script = document.currentScript;
if (!script || !script.src) return;
var BASE = new URL(script.src, location.href).origin;
var API = BASE + '/api/webchat';
var STORE_KEY = 'nabta-webchat:' + BASE;
var MAX_KEPT = 200;

// ---------------------------------------------------------------- state kept across reloads
function load() {
  try {
    return JSON.parse(localStorage.getItem(STORE_KEY) || 'null') || {};
  } catch (e) {
    return {};
  }
}
var state = load();
state.messages = state.messages || [];
state.cursor = state.cursor || 0;
function save() {
  try {
    state.messages = state.messages.slice(-MAX_KEPT);
    localStorage.setItem(STORE_KEY, JSON.stringify(state));
  } catch (e) {
    /* private mode or full storage: the conversation still works for this page view */
  }
}

function pageLocale() {
  var attr = script.getAttribute('data-locale') || script.getAttribute('data-lang');
  var lang = (attr || document.documentElement.lang || 'ar').slice(0, 2).toLowerCase();
  return lang === 'en' ? 'en' : 'ar';
}
var locale = state.locale || pageLocale();

// ---------------------------------------------------------------- DOM (shadow root)
var host = document.createElement('div');
host.setAttribute('data-nabta-webchat', '');
var root = host.attachShadow({ mode: 'open' });
var CSS =
  ':host{all:initial}' +
  '*{box-sizing:border-box;font-family:system-ui,"Segoe UI",Tahoma,"Noto Naskh Arabic",sans-serif}' +
  '.wrap{position:fixed;bottom:16px;inset-inline-end:16px;z-index:2147483000;display:flex;flex-direction:column;align-items:flex-end;gap:12px;font-size:15px;line-height:1.6;color:#1b1b1b}' +
  '.launcher{width:60px;height:60px;border-radius:50%;border:0;background:var(--c);color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center}' +
  '.launcher svg{width:30px;height:30px;fill:#fff}' +
  'button:focus-visible,textarea:focus-visible,input:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}' +
  '.panel{width:370px;max-width:calc(100vw - 32px);height:560px;max-height:calc(100vh - 110px);background:#fff;border-radius:16px;box-shadow:0 8px 30px rgba(0,0,0,.25);display:flex;flex-direction:column;overflow:hidden}' +
  '.panel[hidden]{display:none}' +
  'header{background:var(--c);color:#fff;padding:12px 14px;display:flex;align-items:center;gap:8px}' +
  'header .t{flex:1;min-width:0}header h2{margin:0;font-size:16px;font-weight:700}header p{margin:0;font-size:12px;opacity:.9;white-space:nowrap;overflow:hidden;text-overflow:ellipsis}' +
  'header button{background:rgba(255,255,255,.15);color:#fff;border:0;border-radius:8px;padding:6px 10px;cursor:pointer;font-size:13px}' +
  '.log{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;background:#f4f7f4}' +
  '.msg{max-width:85%;padding:8px 12px;border-radius:14px;white-space:pre-wrap;word-wrap:break-word;overflow-wrap:anywhere}' +
  '.bot{align-self:flex-start;background:#fff;border:1px solid #dfe7df}' +
  '.staff{align-self:flex-start;background:#fff8e1;border:1px solid #f1e0a8}' +
  '.me{align-self:flex-end;background:var(--c);color:#fff}' +
  '.me.failed{opacity:.6}' +
  '.who{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}' +
  '.welcome{color:#555;text-align:center;font-size:14px;padding:8px}' +
  '.chips{display:flex;flex-wrap:wrap;gap:6px;align-self:flex-start}' +
  '.chip{border:1px solid var(--c);color:var(--c);background:#fff;border-radius:999px;padding:6px 12px;cursor:pointer;font-size:14px}' +
  '.chip:hover{background:#eef5ee}' +
  '.typing{align-self:flex-start;color:#555;font-size:13px;padding:4px 8px}' +
  '.typing[hidden],.banner[hidden],.attach[hidden]{display:none}' +
  '.banner{background:#fff3cd;color:#5c4500;font-size:13px;padding:6px 12px;text-align:center}' +
  '.failed-note{font-size:12px;align-self:flex-end;color:#a00}.failed-note button{font-size:12px;margin-inline-start:6px}' +
  'form{display:flex;gap:6px;padding:8px;border-top:1px solid #e3e3e3;align-items:flex-end;background:#fff}' +
  'textarea{flex:1;resize:none;border:1px solid #cfd8cf;border-radius:10px;padding:8px 10px;font-size:15px;max-height:120px;min-height:42px}' +
  'form button{border:0;border-radius:10px;background:var(--c);color:#fff;padding:0 14px;height:42px;cursor:pointer;font-size:14px}' +
  'form .attach{background:#eef2ee;color:#1b1b1b}' +
  '.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}' +
  '@media (max-width:480px){.wrap{bottom:12px;inset-inline-end:12px}.panel{position:fixed;inset:0;width:100vw;max-width:100vw;height:100%;max-height:100%;border-radius:0}}';

function el(tag, attrs, children) {
  var node = document.createElement(tag);
  for (var k in attrs || {}) {
    if (k === 'text') node.textContent = attrs[k];
    else if (k === 'hidden') node.hidden = Boolean(attrs[k]);
    else node.setAttribute(k, attrs[k]);
  }
  (children || []).forEach(function (c) {
    node.appendChild(c);
  });
  return node;
}

var ICON = '<svg viewBox="0 0 24 24" aria-hidden="true"><path d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z"/></svg>';
var wrap = el('div', { class: 'wrap', part: 'wrap' });
var panel = el('section', { class: 'panel', role: 'dialog', id: 'nabta-panel', hidden: true });
var title = el('h2', { id: 'nabta-title' });
var subtitle = el('p');
var langBtn = el('button', { type: 'button', class: 'lang' });
var closeBtn = el('button', { type: 'button', class: 'close', text: '✕' });
var header = el('header', {}, [el('div', { class: 't' }, [title, subtitle]), langBtn, closeBtn]);
var banner = el('div', { class: 'banner', role: 'status', hidden: true });
var log = el('div', { class: 'log', role: 'log', 'aria-live': 'polite', tabindex: '0' });
var typing = el('div', { class: 'typing', role: 'status', hidden: true });
var input = el('textarea', { rows: '1', id: 'nabta-input', autocomplete: 'off' });
var inputLabel = el('label', { class: 'sr', for: 'nabta-input' });
var fileInput = el('input', { type: 'file', class: 'sr', tabindex: '-1' });
var attachBtn = el('button', { type: 'button', class: 'attach', hidden: true, text: '📎' });
var sendBtn = el('button', { type: 'submit', class: 'send' });
var form = el('form', {}, [inputLabel, attachBtn, fileInput, input, sendBtn]);
var launcher = el('button', { type: 'button', class: 'launcher', 'aria-expanded': 'false', 'aria-controls': 'nabta-panel' });
launcher.innerHTML = ICON;
panel.appendChild(header);
panel.appendChild(banner);
panel.appendChild(log);
panel.appendChild(form);
wrap.appendChild(panel);
wrap.appendChild(launcher);

if (root.adoptedStyleSheets !== undefined && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
  // Constructed sheets are not inline <style>: host pages with a strict style-src still style us.
  var sheet = new CSSStyleSheet();
  sheet.replaceSync(CSS);
  root.adoptedStyleSheets = [sheet];
} else {
  root.appendChild(el('style', { text: CSS }));
}
root.appendChild(wrap);

// ---------------------------------------------------------------- texts from locales/ (served by the API)
var T = {};
var config = { limits: { maxTextLength: 4000 } };
function t(key, vars) {
  var s = T[key] || key;
  for (var k in vars || {}) s = s.split('{{' + k + '}}').join(vars[k]);
  return s;
}
function loadTexts() {
  return fetch(API + '/texts?locale=' + locale)
    .then(function (r) {
      return r.json();
    })
    .then(function (data) {
      T = data.texts || {};
      config = data;
      applyTexts();
    });
}
function applyTexts() {
  var org = (config.org && config.org.name) || '';
  host.setAttribute('dir', config.dir || (locale === 'ar' ? 'rtl' : 'ltr'));
  host.setAttribute('lang', locale);
  wrap.style.setProperty('--c', (config.org && config.org.primaryColor) || '#2e7d32');
  launcher.setAttribute('aria-label', t('open', { org: org }));
  launcher.title = t('open', { org: org });
  panel.setAttribute('aria-labelledby', 'nabta-title');
  title.textContent = t('title');
  subtitle.textContent = t('subtitle', { org: org });
  langBtn.textContent = t('language');
  langBtn.setAttribute('aria-label', t('language_label'));
  langBtn.setAttribute('lang', locale === 'ar' ? 'en' : 'ar');
  closeBtn.setAttribute('aria-label', t('close'));
  log.setAttribute('aria-label', t('log'));
  typing.textContent = t('typing');
  // The box follows the widget's direction (an empty dir=auto box would lay the placeholder out LTR).
  input.dir = locale === 'ar' ? 'rtl' : 'ltr';
  input.placeholder = t('placeholder');
  input.maxLength = (config.limits && config.limits.maxTextLength) || 4000;
  inputLabel.textContent = t('placeholder');
  attachBtn.setAttribute('aria-label', t('attach'));
  attachBtn.title = t('attach_hint');
  fileInput.setAttribute('accept', ((config.limits && config.limits.accept) || []).join(','));
  sendBtn.textContent = t('send');
  render();
}

// ---------------------------------------------------------------- rendering
function authorLabel(m) {
  return m.mine ? t('you') : m.author === 'staff' ? t('staff') : t('bot');
}
function render() {
  log.textContent = '';
  if (!state.messages.length) log.appendChild(el('p', { class: 'welcome', text: t('welcome') }));
  state.messages.forEach(function (m, i) {
    var bubble = el('div', { class: 'msg ' + (m.mine ? 'me' : m.author === 'staff' ? 'staff' : 'bot') + (m.failed ? ' failed' : ''), dir: 'auto', 'data-id': String(m.id) }, [
      el('span', { class: 'who', text: authorLabel(m) + ': ' }),
      document.createTextNode(m.text || ''),
    ]);
    log.appendChild(bubble);
    if (m.failed) {
      var retry = el('button', { type: 'button', text: t('retry') });
      retry.addEventListener('click', function () {
        resend(m);
      });
      log.appendChild(el('div', { class: 'failed-note', role: 'alert' }, [document.createTextNode(t('failed')), retry]));
    }
    // Only the newest bot message's choices are live: older menus are history.
    if (i === state.messages.length - 1 && !m.mine && m.choices && m.choices.length) {
      var chips = el('div', { class: 'chips', role: 'group', 'aria-label': t('choices') });
      m.choices.forEach(function (c) {
        var chip = el('button', { type: 'button', class: 'chip', text: c.label, dir: 'auto' });
        chip.addEventListener('click', function () {
          send({ payload: c.value }, c.label);
        });
        chips.appendChild(chip);
      });
      log.appendChild(chips);
    }
  });
  log.appendChild(typing);
  attachBtn.hidden = !(state.expecting && state.expecting.kind === 'file');
  log.scrollTop = log.scrollHeight;
}

/** Adds bot/staff messages, skipping ids already shown (HTTP answer and socket push both carry them). */
function addReplies(replies) {
  var seen = {};
  state.messages.forEach(function (m) {
    if (!m.mine) seen[m.id] = true;
  });
  var added = false;
  (replies || []).forEach(function (r) {
    if (seen[r.id]) return;
    seen[r.id] = true;
    state.messages.push({ id: r.id, author: r.author, text: r.text, choices: r.choices, expecting: r.expecting });
    if (r.id > state.cursor) state.cursor = r.id;
    added = true;
  });
  if (added) {
    var last = state.messages[state.messages.length - 1];
    state.expecting = last && !last.mine ? last.expecting : state.expecting;
    save();
    render();
  }
}

// ---------------------------------------------------------------- talking to the API
function newId() {
  var bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.prototype.map
    .call(bytes, function (b) {
      return ('0' + b.toString(16)).slice(-2);
    })
    .join('');
}

// Files cannot go to localStorage; a failed upload can be retried while the page stays open.
var files = {};
function send(body, shown, file) {
  var m = { id: 'local-' + newId(), mine: true, text: shown, request: body };
  if (file) files[m.id] = file;
  state.messages.push(m);
  save();
  render();
  deliver(m, file);
}

function resend(m) {
  m.failed = false;
  render();
  deliver(m, files[m.id]);
}

function deliver(m, file) {
  var body = Object.assign({}, m.request, { messageId: m.id.slice(6), locale: locale });
  if (state.conversationId) body.conversationId = state.conversationId;
  var init;
  if (file) {
    var data = new FormData();
    for (var k in body) data.append(k, body[k]);
    data.append('file', file);
    init = { method: 'POST', body: data };
  } else {
    init = { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) };
  }
  typing.hidden = false;
  log.scrollTop = log.scrollHeight;
  fetch(API + '/messages', init)
    .then(function (r) {
      return r.json().then(function (data) {
        return { ok: r.ok, status: r.status, data: data };
      });
    })
    .then(function (res) {
      typing.hidden = true;
      delete files[m.id];
      if (res.status === 404 && state.conversationId) {
        // The conversation is gone on the server: start a fresh one with this message.
        state.conversationId = undefined;
        state.cursor = 0;
        return deliver(m, file);
      }
      if (!res.ok) {
        var error = res.data && res.data.error;
        state.messages.push({ id: 'err-' + newId(), author: 'system', text: (error && error.message) || t('failed') });
        save();
        return render();
      }
      var first = !state.conversationId;
      state.conversationId = res.data.conversationId;
      save();
      if (first) connect();
      if (res.data.duplicate) catchUp();
      else addReplies(res.data.replies);
    })
    .catch(function () {
      typing.hidden = true;
      m.failed = true;
      save();
      render();
    });
}

var catching = false;
/** Fetches what the bot or staff sent after the newest message we hold (after a reconnect or reload). */
function catchUp() {
  if (!state.conversationId || catching) return;
  catching = true;
  fetch(API + '/conversations/' + encodeURIComponent(state.conversationId) + '/messages?after=' + state.cursor)
    .then(function (r) {
      if (r.status === 404) {
        state = { messages: [], cursor: 0, locale: locale };
        save();
        render();
        return null;
      }
      return r.ok ? r.json() : null;
    })
    .then(function (data) {
      catching = false;
      if (data) addReplies(data.messages);
    })
    .catch(function () {
      catching = false;
    });
}

// ---------------------------------------------------------------- live push (socket.io)
var socket;
function connect() {
  if (socket || !state.conversationId || typeof io !== 'function') return;
  socket = io(BASE + '/webchat', { auth: { conversationId: state.conversationId, locale: locale }, transports: ['websocket', 'polling'] });
  socket.on('connect', function () {
    banner.hidden = true;
    catchUp();
  });
  socket.on('disconnect', function () {
    banner.textContent = t('offline');
    banner.hidden = false;
  });
  socket.on('messages', function (event) {
    if (event && event.conversationId === state.conversationId) addReplies(event.messages);
  });
}
window.addEventListener('online', catchUp);

// ---------------------------------------------------------------- interaction
function open(focus) {
  panel.hidden = false;
  launcher.setAttribute('aria-expanded', 'true');
  state.open = true;
  save();
  render();
  if (focus !== false) input.focus();
}
function close() {
  panel.hidden = true;
  launcher.setAttribute('aria-expanded', 'false');
  state.open = false;
  save();
  launcher.focus();
}
launcher.addEventListener('click', function () {
  panel.hidden ? open() : close();
});
closeBtn.addEventListener('click', close);
panel.addEventListener('keydown', function (e) {
  if (e.key === 'Escape') close();
});
langBtn.addEventListener('click', function () {
  locale = locale === 'ar' ? 'en' : 'ar';
  state.locale = locale;
  save();
  loadTexts();
});
form.addEventListener('submit', function (e) {
  e.preventDefault();
  var text = input.value.trim();
  if (!text) return;
  input.value = '';
  send({ text: text }, text);
});
input.addEventListener('keydown', function (e) {
  // Enter sends, Shift+Enter starts a new line (and IME composition is left alone).
  if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
    e.preventDefault();
    form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event('submit', { cancelable: true }));
  }
});
attachBtn.addEventListener('click', function () {
  fileInput.click();
});
fileInput.addEventListener('change', function () {
  var file = fileInput.files && fileInput.files[0];
  fileInput.value = '';
  if (file) send({}, t('file_sent', { name: file.name }), file);
});

function start() {
  document.body.appendChild(host);
  loadTexts().catch(function () {
    applyTexts();
  });
  if (state.open) open(false);
  connect();
}
if (document.body) start();
else document.addEventListener('DOMContentLoaded', start);
