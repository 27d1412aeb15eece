/*
 * Nabta staff console: one page, no build step, plain ES2017. Arabic and right-to-left first.
 * Talks to /api/console (JSON; session cookie + x-csrf-token on changes) and to the /console
 * socket.io namespace for live news (queue changes, messages, assignments, SLA reminders).
 *
 * Other parts of Nabta add sections with NabtaConsole.register({ id, label, roles, render }) from
 * their own script loaded after this one (see the bottom of this file).
 */
(function () {
  'use strict';

  var API = '/api/console';
  var HANDLERS = ['agent', 'supervisor', 'admin'];
  var OVERSEERS = ['supervisor', 'admin'];

  var state = {
    locale: 'ar',
    texts: {},
    user: null,
    csrf: '',
    socket: null,
    sections: [],
    current: null,
    cleanup: null,
    staff: [],
    canned: [],
  };

  // ------------------------------------------------------------------ texts
  function lookup(key) {
    var node = state.texts;
    var parts = key.split('.');
    for (var i = 0; i < parts.length; i++) {
      if (!node || typeof node !== 'object') return undefined;
      node = node[parts[i]];
    }
    return typeof node === 'string' ? node : undefined;
  }
  /** A text from the console's bundle (keys below `console.`), with {{vars}}. */
  function t(key, vars) {
    var text = lookup(key);
    if (text === undefined) return key;
    return text.replace(/\{\{(\w+)\}\}/g, function (_m, name) {
      return vars && vars[name] !== undefined ? String(vars[name]) : '';
    });
  }
  function w(key, vars) {
    return t('web.' + key, vars);
  }
  function intlLocale() {
    // Western digits read best next to Latin emails and reference numbers; Gregorian dates.
    return state.locale === 'ar' ? 'ar-SA-u-nu-latn-ca-gregory' : 'en-GB';
  }
  function formatTime(iso) {
    if (!iso) return '';
    try {
      return new Intl.DateTimeFormat(intlLocale(), { dateStyle: 'short', timeStyle: 'short', timeZone: state.timeZone }).format(new Date(iso));
    } catch (e) {
      return String(iso);
    }
  }
  function formatDuration(ms) {
    var minutes = Math.floor(Math.max(0, ms) / 60000);
    if (minutes < 1) return w('duration.under_minute');
    if (minutes < 60) return w('duration.minutes', { minutes: minutes });
    if (minutes < 24 * 60) return w('duration.hours', { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
    return w('duration.days', { days: Math.floor(minutes / 1440) });
  }
  function channelName(channel) {
    var name = lookup('web.channels.' + channel);
    return name || channel;
  }
  function reasonName(reason) {
    if (reason === 'requested') return w('reasons.requested');
    if (/^too-many-retries:/.test(reason)) return w('reasons.retries');
    if (/^service:/.test(reason)) return w('reasons.service');
    return w('reasons.other');
  }
  function roleName(role) {
    return lookup('web.roles.' + role) || role;
  }
  function staffName(id) {
    for (var i = 0; i < state.staff.length; i++) if (state.staff[i].id === id) return state.staff[i].name;
    return state.user && state.user.id === id ? state.user.name : '';
  }
  function has(role, list) {
    return list.indexOf(role) >= 0;
  }

  // ------------------------------------------------------------------ DOM
  /** el('div', { class: 'x', text: '…', onclick: fn, 'aria-label': '…' }, [children]) */
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    var a = attrs || {};
    Object.keys(a).forEach(function (key) {
      var value = a[key];
      if (value === undefined || value === null || value === false) return;
      if (key === 'text') node.textContent = value;
      else if (key === 'class') node.className = value;
      else if (key.slice(0, 2) === 'on' && typeof value === 'function') node.addEventListener(key.slice(2), value);
      else if (key === 'value') node.value = value;
      else if (value === true) node.setAttribute(key, '');
      else node.setAttribute(key, String(value));
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }
  /** The leaf of the brand, drawn (an emoji would need an emoji font on the staff's machine). */
  function logo() {
    var ns = 'http://www.w3.org/2000/svg';
    var svg = document.createElementNS(ns, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('class', 'logo');
    svg.setAttribute('aria-hidden', 'true');
    var path = document.createElementNS(ns, 'path');
    path.setAttribute('d', 'M12 22v-7m0 0c0-5 3-9 9-10-1 6-4 10-9 10zm0-3C12 8 9.5 5 4 4c.5 5 3.2 8 8 8z');
    path.setAttribute('fill', 'currentColor');
    path.setAttribute('stroke', 'currentColor');
    path.setAttribute('stroke-width', '1.5');
    path.setAttribute('stroke-linejoin', 'round');
    svg.appendChild(path);
    return svg;
  }
  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
    return node;
  }
  var app = document.getElementById('app');

  var toastBox;
  /** A short message at the top; `kind` error|info. Also read out by screen readers. */
  function toast(message, kind) {
    if (!toastBox) {
      toastBox = el('div', { class: 'toasts', role: 'status', 'aria-live': 'polite' });
      document.body.appendChild(toastBox);
    }
    var item = el('div', { class: 'toast ' + (kind || 'info'), text: message });
    toastBox.appendChild(item);
    setTimeout(function () {
      if (item.parentNode) item.parentNode.removeChild(item);
    }, kind === 'error' ? 8000 : 5000);
  }
  function errorText(answer) {
    var code = answer && answer.body && answer.body.error && answer.body.error.code;
    if (code === 'taken' || code === 'left' || code === 'not_waiting') return w('queue.' + code);
    return lookup('web.errors.' + code) || w('errors.generic');
  }

  // ------------------------------------------------------------------ API
  function api(method, path, body) {
    var headers = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && state.csrf) headers['x-csrf-token'] = state.csrf;
    return fetch(API + path, { method: method, headers: headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) }).then(
      function (res) {
        return res
          .json()
          .catch(function () {
            return null;
          })
          .then(function (json) {
            var answer = { status: res.status, body: json, headers: res.headers };
            if (res.status === 401 && path !== '/login' && path !== '/me' && state.user) {
              toast(w('errors.not_signed_in'), 'error');
              signedOut();
            }
            return answer;
          });
      },
      function () {
        return { status: 0, body: null, headers: new Headers() };
      },
    );
  }

  // ------------------------------------------------------------------ sign in
  function showLogin(message) {
    teardown();
    document.body.className = 'login-page';
    var error = el('p', { class: 'form-error', role: 'alert', id: 'login-error', text: message || '' });
    var email = el('input', { id: 'email', name: 'email', type: 'email', autocomplete: 'username', required: true, dir: 'ltr' });
    var password = el('input', { id: 'password', name: 'password', type: 'password', autocomplete: 'current-password', required: true, dir: 'ltr' });
    var submit = el('button', { type: 'submit', class: 'primary', text: w('login.submit') });
    var form = el('form', { class: 'login-card', novalidate: true, 'aria-labelledby': 'login-heading' }, [
      el('div', { class: 'login-brand' }, [logo(), el('span', { text: w('brand') })]),
      el('h1', { id: 'login-heading', text: w('login.heading') }),
      el('p', { class: 'muted', text: w('login.intro') }),
      el('label', { for: 'email', text: w('login.email') }),
      email,
      el('label', { for: 'password', text: w('login.password') }),
      password,
      error,
      submit,
    ]);
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      error.textContent = '';
      submit.disabled = true;
      api('POST', '/login', { email: email.value.trim(), password: password.value }).then(function (answer) {
        submit.disabled = false;
        if (answer.status === 200) {
          password.value = '';
          signedIn(answer.body.user, answer.body.csrfToken);
          return;
        }
        var code = answer.body && answer.body.error && answer.body.error.code;
        if (code === 'locked') {
          var seconds = Number(answer.headers.get('retry-after')) || 60;
          error.textContent = w('login.locked', { minutes: Math.max(1, Math.ceil(seconds / 60)) });
        } else if (code === 'too_many_attempts' || code === 'wrong_credentials' || code === 'bad_request') {
          error.textContent = w('login.' + code);
        } else {
          error.textContent = w('errors.generic');
        }
        password.focus();
      });
    });
    clear(app).appendChild(el('div', { class: 'login-wrap' }, [form]));
    email.focus();
  }

  function signedIn(user, csrf) {
    state.user = user;
    state.csrf = csrf;
    document.body.className = 'console-page';
    connectSocket();
    loadStaff();
    renderShell();
    route();
  }

  function signedOut() {
    state.user = null;
    state.csrf = '';
    if (state.socket) state.socket.disconnect();
    state.socket = null;
    showLogin();
  }

  function logout() {
    api('POST', '/logout', {}).then(function () {
      location.hash = '';
      signedOut();
    });
  }

  function loadStaff() {
    if (!has(state.user.role, HANDLERS)) return Promise.resolve();
    return api('GET', '/staff').then(function (answer) {
      if (answer.status === 200) state.staff = answer.body.items;
    });
  }

  // ------------------------------------------------------------------ live connection
  var live = { listeners: {} };
  /** Sections subscribe to socket events; a section's listeners go when it is left. */
  function onLive(event, fn) {
    (live.listeners[event] = live.listeners[event] || []).push(fn);
    return function () {
      live.listeners[event] = (live.listeners[event] || []).filter(function (f) {
        return f !== fn;
      });
    };
  }
  function emitLive(event, payload) {
    (live.listeners[event] || []).slice().forEach(function (fn) {
      fn(payload);
    });
  }

  function connectSocket() {
    if (typeof io !== 'function' || !has(state.user.role, HANDLERS)) return;
    var socket = io('/console', { withCredentials: true });
    state.socket = socket;
    socket.on('connect', function () {
      setConnection(true);
      emitLive('reconnect');
    });
    socket.on('disconnect', function () {
      setConnection(false);
    });
    socket.on('connect_error', function () {
      setConnection(false);
    });
    ['queue', 'message', 'handoff'].forEach(function (name) {
      socket.on(name, function (payload) {
        emitLive(name, payload);
      });
    });
    socket.on('sla', function (payload) {
      toast(w('sla.unclaimed', { channel: channelName(payload.channel || ''), minutes: payload.waitedMinutes }), 'error');
      emitLive('sla', payload);
    });
  }

  function setConnection(online) {
    var dot = document.getElementById('connection');
    if (!dot) return;
    dot.className = 'connection ' + (online ? 'online' : 'offline');
    dot.setAttribute('title', w(online ? 'connection.online' : 'connection.offline'));
    dot.setAttribute('aria-label', w(online ? 'connection.online' : 'connection.offline'));
  }

  // ------------------------------------------------------------------ shell and routing
  function allowedSections() {
    return state.sections.filter(function (s) {
      return has(state.user.role, s.roles);
    });
  }

  function renderShell() {
    var nav = el('nav', { class: 'tabs', 'aria-label': w('nav.main') });
    allowedSections().forEach(function (s) {
      var label = typeof s.label === 'function' ? s.label() : s.label;
      var link = el('a', { href: '#/' + s.id, 'data-section': s.id, text: typeof label === 'string' ? label : s.id });
      // A section may need to load its texts first: its label can arrive later.
      if (label && typeof label.then === 'function') {
        label.then(function (text) {
          if (text) link.textContent = text;
        });
      }
      nav.appendChild(link);
    });
    var header = el('header', { class: 'topbar' }, [
      el('div', { class: 'brand' }, [logo(), el('strong', { text: w('brand') }), el('small', { text: w('brand_sub') })]),
      nav,
      el('div', { class: 'who' }, [
        el('span', { id: 'connection', class: 'connection offline', role: 'img', 'aria-label': w('connection.offline') }),
        el('span', { class: 'who-name', text: state.user.name }),
        el('span', { class: 'badge role', text: roleName(state.user.role) }),
        el('button', { type: 'button', class: 'ghost', id: 'logout', text: w('nav.logout'), onclick: logout }),
      ]),
    ]);
    clear(app).appendChild(header);
    app.appendChild(el('div', { id: 'section', class: 'section' }));
    if (state.socket && state.socket.connected) setConnection(true);
  }

  function teardown() {
    if (state.cleanup) {
      try {
        state.cleanup();
      } catch (e) {
        /* a section failing to clean up must not stop navigation */
      }
    }
    state.cleanup = null;
    state.current = null;
  }

  function route() {
    if (!state.user) return;
    var parts = location.hash.replace(/^#\/?/, '').split('/');
    var sections = allowedSections();
    var section = sections.filter(function (s) {
      return s.id === parts[0];
    })[0];
    if (!section) section = sections[0];
    if (!section) return;
    var argument = parts.slice(1).map(decodeURIComponent).join('/');
    if (state.current && state.current.id === section.id && state.current.update) {
      state.current.update(argument);
      return;
    }
    teardown();
    var container = document.getElementById('section');
    if (!container) return;
    clear(container);
    container.setAttribute('data-section', section.id);
    var links = document.querySelectorAll('nav.tabs a');
    for (var i = 0; i < links.length; i++) {
      if (links[i].getAttribute('data-section') === section.id) links[i].setAttribute('aria-current', 'page');
      else links[i].removeAttribute('aria-current');
    }
    var handle = section.render(container, context(), argument) || {};
    state.current = { id: section.id, update: handle.update };
    state.cleanup = handle.cleanup || null;
  }
  window.addEventListener('hashchange', route);

  /** What a section gets: the API, texts, the signed-in user, live events, helpers. */
  function context() {
    return {
      api: api,
      t: t,
      user: state.user,
      el: el,
      clear: clear,
      toast: toast,
      errorText: errorText,
      formatTime: formatTime,
      onLive: onLive,
      socket: state.socket,
    };
  }

  // ------------------------------------------------------------------ conversations
  function renderConversations(container, _ctx, argument) {
    var unsubscribe = [];
    var openId = null;
    var opened = null; // the conversation's JSON
    var tick;

    var queueList = el('ul', { class: 'cards', id: 'queue-list' });
    var queueCount = el('span', { class: 'count', id: 'queue-count', text: '0' });
    var mineList = el('ul', { class: 'cards', id: 'mine-list' });
    var aside = el('aside', { class: 'lists' }, [
      el('section', { 'aria-labelledby': 'queue-heading' }, [el('h2', { id: 'queue-heading' }, [w('queue.heading') + ' ', queueCount]), queueList]),
      el('section', { 'aria-labelledby': 'mine-heading' }, [el('h2', { id: 'mine-heading', text: w('mine.heading') }), mineList]),
    ]);
    var pane = el('div', { class: 'pane', id: 'conversation' });
    container.appendChild(el('div', { class: 'layout' }, [aside, pane]));

    function waitedLabel(since) {
      return el('span', { class: 'since', 'data-since': since, text: w('queue.waiting', { time: formatDuration(Date.now() - new Date(since).getTime()) }) });
    }
    function refreshTimes() {
      var nodes = container.querySelectorAll('[data-since]');
      for (var i = 0; i < nodes.length; i++) {
        nodes[i].textContent = w('queue.waiting', { time: formatDuration(Date.now() - new Date(nodes[i].getAttribute('data-since')).getTime()) });
      }
    }

    function claim(conversationId) {
      return api('POST', '/conversations/' + encodeURIComponent(conversationId) + '/claim', {}).then(function (answer) {
        if (answer.status !== 200) {
          toast(errorText(answer), 'error');
          loadLists();
          if (openId === conversationId) loadConversation();
          return false;
        }
        if (location.hash !== '#/conversations/' + encodeURIComponent(conversationId)) location.hash = '#/conversations/' + encodeURIComponent(conversationId);
        else loadConversation();
        loadLists();
        return true;
      });
    }

    function loadLists() {
      api('GET', '/queue').then(function (answer) {
        if (answer.status !== 200) return;
        var items = answer.body.items;
        queueCount.textContent = String(items.length);
        clear(queueList);
        if (!items.length) queueList.appendChild(el('li', { class: 'empty', text: w('queue.empty') }));
        items.forEach(function (item) {
          var link = el('a', { href: '#/conversations/' + encodeURIComponent(item.conversationId), class: 'card-link' }, [
            el('span', { class: 'card-title', text: reasonName(item.reason) }),
            el('span', { class: 'card-meta' }, [el('span', { class: 'badge channel', text: channelName(item.channel) }), waitedLabel(item.waitingSince)]),
          ]);
          var claimButton = el('button', { type: 'button', class: 'primary small', 'data-claim': item.conversationId, text: w('queue.claim') });
          claimButton.addEventListener('click', function () {
            claimButton.disabled = true;
            claim(item.conversationId);
          });
          var li = el('li', { class: 'card' + (item.priority > 0 ? ' urgent' : '') + (item.conversationId === openId ? ' selected' : ''), 'data-conversation': item.conversationId }, [
            link,
            el('div', { class: 'card-actions' }, [item.priority > 0 ? el('span', { class: 'badge priority', text: w('queue.priority') }) : null, claimButton]),
          ]);
          queueList.appendChild(li);
        });
      });
      api('GET', '/mine').then(function (answer) {
        if (answer.status !== 200) return;
        clear(mineList);
        if (!answer.body.items.length) mineList.appendChild(el('li', { class: 'empty', text: w('mine.empty') }));
        answer.body.items.forEach(function (item) {
          mineList.appendChild(
            el('li', { class: 'card' + (item.conversationId === openId ? ' selected' : ''), 'data-conversation': item.conversationId }, [
              el('a', { href: '#/conversations/' + encodeURIComponent(item.conversationId), class: 'card-link' }, [
                el('span', { class: 'card-title', text: reasonName(item.reason) }),
                el('span', { class: 'card-meta' }, [el('span', { class: 'badge channel', text: channelName(item.channel) }), el('span', { class: 'since', text: formatTime(item.claimedAt) })]),
              ]),
            ]),
          );
        });
      });
    }

    // ---- one conversation
    function loadConversation() {
      if (!openId) {
        clear(pane).appendChild(el('div', { class: 'placeholder' }, [el('p', { text: w('conversation.pick') })]));
        return;
      }
      var id = openId;
      // Watch first, then read: a message that arrives between the two is in what we read or comes
      // live, never lost in the gap (it was, when the room was joined after the read).
      watch(id)
        .then(function () {
          return api('GET', '/conversations/' + encodeURIComponent(id));
        })
        .then(function (answer) {
          if (id !== openId) return;
          if (answer.status !== 200) {
            clear(pane).appendChild(el('div', { class: 'placeholder' }, [el('p', { role: 'alert', text: errorText(answer) })]));
            return;
          }
          opened = answer.body;
          renderConversation();
        });
    }

    /** Joins the conversation's live room; resolves when the server has (or after 3 s without an answer, or at once offline). */
    function watch(id) {
      return new Promise(function (resolve) {
        if (!state.socket) return resolve();
        state.socket.timeout(3000).emit('watch', id, function () {
          resolve();
        });
      });
    }

    function canAct() {
      var h = opened && opened.handoff;
      return Boolean(h && h.status === 'assigned' && (h.assignedTo === state.user.id || has(state.user.role, OVERSEERS)));
    }

    function renderConversation() {
      var c = opened.conversation;
      var h = opened.handoff;
      // Each label stays with its value when the line wraps (a <div> may group them in a <dl>).
      var pair = function (label, value) {
        return el('div', { class: 'detail' }, [el('dt', { text: label }), el('dd', {}, [value])]);
      };
      var details = el('dl', { class: 'details' }, [
        pair(w('conversation.channel'), channelName(c.channel)),
        pair(w('conversation.language'), w('conversation.language_' + (c.locale === 'en' ? 'en' : 'ar'))),
        h ? pair(w('conversation.reason'), reasonName(h.reason)) : null,
        h ? pair(w('conversation.status'), el('span', { class: 'badge status-' + h.status, id: 'handoff-status', text: w('conversation.status_' + h.status) })) : null,
        h && h.assignedTo ? pair(w('conversation.assigned_to'), staffName(h.assignedTo)) : null,
        h ? pair(w('conversation.since'), formatTime(h.requestedAt)) : null,
      ]);
      var actions = el('div', { class: 'actions' });
      if (h && h.status === 'waiting') {
        actions.appendChild(el('button', { type: 'button', class: 'primary', id: 'claim', text: w('conversation.claim'), onclick: function (e) { e.target.disabled = true; claim(c.id); } }));
      }
      if (canAct()) {
        actions.appendChild(el('button', { type: 'button', id: 'release', text: w('conversation.release'), onclick: function () { act('release'); } }));
        var select = el('select', { id: 'transfer-to', 'aria-label': w('conversation.transfer') }, [el('option', { value: '', text: w('conversation.transfer_pick') })]);
        state.staff
          .filter(function (s) {
            return s.id !== h.assignedTo;
          })
          .forEach(function (s) {
            select.appendChild(el('option', { value: s.id, text: s.name + ' — ' + roleName(s.role) }));
          });
        actions.appendChild(
          el('span', { class: 'transfer' }, [
            select,
            el('button', {
              type: 'button',
              text: w('conversation.transfer_do'),
              onclick: function () {
                if (select.value) act('transfer', { staffId: select.value });
              },
            }),
          ]),
        );
        actions.appendChild(
          el('button', {
            type: 'button',
            class: 'danger',
            id: 'close',
            text: w('conversation.close'),
            onclick: function () {
              if (window.confirm(w('conversation.close_confirm'))) act('close');
            },
          }),
        );
      }
      var head = el('div', { class: 'conv-head' }, [
        el('div', { class: 'conv-title' }, [
          el('a', { href: '#/conversations', class: 'back', text: w('conversation.back') }),
          el('h2', { text: c.displayName || w('conversation.unnamed') }),
        ]),
        details,
        actions,
      ]);
      var log = el('ol', { class: 'transcript', id: 'transcript', role: 'log', 'aria-label': w('conversation.transcript') });
      opened.messages.forEach(function (m) {
        log.appendChild(messageItem(m));
      });
      clear(pane).appendChild(head);
      var windowNote = replyWindowNote(c.replyWindow);
      if (windowNote) pane.appendChild(windowNote);
      pane.appendChild(log);
      pane.appendChild(composer());
      log.scrollTop = log.scrollHeight;
    }

    function act(what, body) {
      api('POST', '/conversations/' + encodeURIComponent(openId) + '/' + what, body || {}).then(function (answer) {
        if (answer.status !== 200) toast(errorText(answer), 'error');
        else if (what === 'close') toast(w('conversation.closed_note'), 'info');
        loadLists();
        loadConversation();
      });
    }

    // WhatsApp Cloud: more than 24 h after the person's last message a reply can only go as an approved template.
    function replyWindowNote(win) {
      if (!win) return null;
      var key = win.open ? 'window_open' : win.closesAt ? 'window_closed' : 'window_never';
      return el('p', { class: 'reply-window ' + (win.open ? 'open' : 'closed'), id: 'reply-window', role: 'status', text: w('whatsappCloud.' + key, { time: formatTime(win.closesAt) }) });
    }

    function deliveryNote(error) {
      var reason = error.code === 'window_closed_no_template' ? w('whatsappCloud.window_closed_no_template') : error.title || String(error.code || '');
      return el('div', { class: 'delivery-failed', text: reason ? w('whatsappCloud.failed_reason', { reason: reason }) : w('whatsappCloud.failed') });
    }

    function authorLabel(m) {
      if (m.internal) return w('conversation.internal') + (m.authorId ? ' · ' + staffName(m.authorId) : '');
      if (m.author === 'staff') return (m.authorId && staffName(m.authorId)) || w('conversation.author_staff');
      return lookup('web.conversation.author_' + m.author) || m.author;
    }

    function attachmentNode(a) {
      var ref = String(a.ref || '');
      if (ref.indexOf('doc:') === 0) {
        var docId = ref.slice(4);
        var access = (opened && opened.attachments && opened.attachments[docId]) || { open: false, request: false };
        if (!access.open) return el('span', { class: 'attachment hidden', text: access.request ? w('conversation.attachment_hidden') : w('conversation.attachment') + ' · ' + (a.fileName || a.mime || '') });
        var href = API + '/conversations/' + encodeURIComponent(openId) + '/attachments/' + encodeURIComponent(docId);
        // A voice note plays in place: staff should not have to download it to hear the person.
        if (a.kind === 'audio') return el('span', { class: 'attachment voice' }, [el('audio', { controls: true, preload: 'none', src: href, 'aria-label': w('conversation.attachment_voice') })]);
        return el('a', { class: 'attachment', href: href, target: '_blank', rel: 'noopener' }, [
          a.kind === 'image' ? el('img', { src: href, alt: a.fileName || w('conversation.attachment'), loading: 'lazy' }) : null,
          el('span', { text: '📎 ' + (a.fileName || w('conversation.attachment_open')) }),
        ]);
      }
      return el('span', { class: 'attachment hidden', text: w('conversation.attachment_refused') + (a.fileName ? ' · ' + a.fileName : '') });
    }

    function messageItem(m) {
      var body = m.body || {};
      var cls = 'msg ' + (m.internal ? 'note' : m.direction === 'in' ? 'from-beneficiary' : 'from-' + m.author);
      var content = [el('div', { class: 'meta' }, [el('span', { text: authorLabel(m) }), el('time', { datetime: m.createdAt, text: formatTime(m.createdAt) })])];
      if (m.text) content.push(el('div', { class: 'text', dir: 'auto', text: m.text }));
      else if (body.payload && !m.text) content.push(el('div', { class: 'text muted', text: w('conversation.choice', { value: body.payload }) }));
      if (Array.isArray(body.attachments)) body.attachments.forEach(function (a) { content.push(attachmentNode(a)); });
      if (body.location) content.push(el('div', { class: 'text muted', text: '📍 ' + w('conversation.location') + ' (' + body.location.lat + ', ' + body.location.lng + ')' }));
      if (Array.isArray(body.choices) && body.choices.length) {
        content.push(el('div', { class: 'choices' }, body.choices.map(function (c) { return el('span', { class: 'chip', text: c.label }); })));
      }
      if (m.direction === 'out' && body.deliveryError) content.push(deliveryNote(body.deliveryError));
      return el('li', { class: cls, 'data-id': m.id }, content);
    }

    function composer() {
      var h = opened.handoff;
      var open = Boolean(h && (h.status === 'waiting' || h.status === 'assigned'));
      var form = el('form', { class: 'composer', id: 'composer' });
      if (!open) {
        form.appendChild(el('p', { class: 'muted', text: w('conversation.closed_note') }));
        return form;
      }
      var mayReply = canAct();
      var text = el('textarea', { id: 'reply', rows: 3, dir: 'auto', 'aria-label': w('composer.placeholder'), placeholder: mayReply ? w('composer.placeholder') : w('composer.placeholder_note') });
      var internal = el('input', { type: 'checkbox', id: 'internal' });
      if (!mayReply) {
        internal.checked = true;
        internal.disabled = true;
      }
      var send = el('button', { type: 'submit', class: 'primary', id: 'send', text: w('composer.send') });
      var canned = el('select', { id: 'canned', 'aria-label': w('composer.canned') }, [el('option', { value: '', text: w('composer.canned') })]);
      state.canned.forEach(function (c) {
        canned.appendChild(el('option', { value: String(c.id), text: c.title }));
      });
      canned.addEventListener('change', function () {
        var chosen = state.canned.filter(function (c) { return String(c.id) === canned.value; })[0];
        if (chosen) text.value = text.value ? text.value + '\n' + chosen.text : chosen.text;
        canned.value = '';
        text.focus();
      });
      internal.addEventListener('change', function () {
        form.classList.toggle('is-note', internal.checked);
        text.placeholder = internal.checked ? w('composer.placeholder_note') : w('composer.placeholder');
      });
      form.classList.toggle('is-note', internal.checked);
      text.addEventListener('keydown', function (event) {
        if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          form.requestSubmit ? form.requestSubmit() : send.click();
        }
      });
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        var value = text.value.trim();
        if (!value) return;
        send.disabled = true;
        api('POST', '/conversations/' + encodeURIComponent(openId) + '/messages', { text: value, internal: internal.checked }).then(function (answer) {
          send.disabled = false;
          if (answer.status !== 200) {
            toast(errorText(answer) || w('composer.failed'), 'error');
            return;
          }
          text.value = '';
          text.focus();
        });
      });
      form.appendChild(text);
      form.appendChild(
        el('div', { class: 'composer-bar' }, [
          state.canned.length ? canned : null,
          el('label', { class: 'check' }, [internal, ' ' + w('composer.internal')]),
          !mayReply && h.status === 'waiting' ? el('span', { class: 'muted small', text: w('composer.claim_first') }) : null,
          send,
        ]),
      );
      return form;
    }

    function onMessage(payload) {
      if (!opened || payload.conversationId !== openId) return;
      var log = document.getElementById('transcript');
      if (!log || log.querySelector('[data-id="' + payload.message.id + '"]')) return;
      var body = payload.message.body || {};
      // A new file: its access rules come with the conversation, so read it again.
      if (Array.isArray(body.attachments) && body.attachments.length) return loadConversation();
      // The person wrote: a closed reply window (WhatsApp Cloud) is open again; the server says until when.
      var win = opened.conversation.replyWindow;
      if (payload.message.direction === 'in' && win && !win.open) return loadConversation();
      opened.messages.push(payload.message);
      var nearBottom = log.scrollHeight - log.scrollTop - log.clientHeight < 80;
      log.appendChild(messageItem(payload.message));
      if (nearBottom) log.scrollTop = log.scrollHeight;
    }

    function open(id) {
      if (openId && openId !== id && state.socket) state.socket.emit('unwatch', openId);
      openId = id || null;
      opened = null;
      container.querySelector('.layout').classList.toggle('has-open', Boolean(openId));
      var cards = container.querySelectorAll('.card');
      for (var i = 0; i < cards.length; i++) cards[i].classList.toggle('selected', cards[i].getAttribute('data-conversation') === openId);
      loadConversation();
    }

    unsubscribe.push(onLive('queue', loadLists));
    unsubscribe.push(onLive('message', onMessage));
    unsubscribe.push(
      onLive('handoff', function (payload) {
        if (payload.conversationId === openId) loadConversation();
      }),
    );
    unsubscribe.push(
      onLive('reconnect', function () {
        loadLists();
        if (openId) loadConversation();
      }),
    );
    tick = setInterval(refreshTimes, 15000);
    api('GET', '/canned').then(function (answer) {
      if (answer.status === 200) state.canned = answer.body.items;
    });
    loadLists();
    open(argument);

    return {
      update: open,
      cleanup: function () {
        clearInterval(tick);
        if (openId && state.socket) state.socket.emit('unwatch', openId);
        unsubscribe.forEach(function (u) { u(); });
      },
    };
  }

  // ------------------------------------------------------------------ dashboard
  function renderDashboard(container) {
    var root = el('div', { class: 'page dashboard' }, [el('h1', { text: w('dashboard.heading') })]);
    var kpis = el('div', { class: 'kpis', id: 'kpis' });
    var csat = el('section', { class: 'panel', 'aria-labelledby': 'csat-heading' }, [el('h2', { id: 'csat-heading', text: w('dashboard.csat_trend') })]);
    var channels = el('section', { class: 'panel', 'aria-labelledby': 'channels-heading' }, [el('h2', { id: 'channels-heading', text: w('dashboard.by_channel') })]);
    root.appendChild(kpis);
    root.appendChild(el('div', { class: 'charts' }, [csat, channels]));
    container.appendChild(root);

    function kpi(id, label, value) {
      return el('div', { class: 'kpi', id: 'kpi-' + id }, [el('span', { class: 'kpi-value', text: value }), el('span', { class: 'kpi-label', text: label })]);
    }

    function draw(stats) {
      clear(kpis);
      kpis.appendChild(kpi('waiting', w('dashboard.waiting_now'), String(stats.waitingNow)));
      kpis.appendChild(kpi('with-staff', w('dashboard.with_staff_now'), String(stats.withStaffNow)));
      kpis.appendChild(kpi('handled', w('dashboard.handled_today'), String(stats.handledToday)));
      kpis.appendChild(
        kpi('median', w('dashboard.median_wait'), stats.medianWaitSecondsToday === null ? w('dashboard.none') : formatDuration(stats.medianWaitSecondsToday * 1000)),
      );

      // CSAT per day: columns from 0 to 5, oldest at the start of the reading direction.
      while (csat.childNodes.length > 1) csat.removeChild(csat.lastChild);
      if (!stats.csatTrend.length) csat.appendChild(el('p', { class: 'muted', text: w('dashboard.csat_empty') }));
      else {
        var columns = el('div', { class: 'columns', role: 'img', 'aria-label': w('dashboard.csat_trend') });
        stats.csatTrend.forEach(function (d) {
          var bar = el('span', { class: 'column-bar', title: d.day + ' · ' + w('dashboard.average') + ' ' + d.average + ' · ' + w('dashboard.count') + ' ' + d.count });
          bar.style.height = Math.max(4, (d.average / 5) * 100) + '%';
          columns.appendChild(
            el('div', { class: 'column', 'data-day': d.day }, [
              el('span', { class: 'column-value', text: String(d.average) }),
              el('span', { class: 'column-track' }, [bar]),
              el('span', { class: 'column-label', text: d.day.slice(5) }),
            ]),
          );
        });
        csat.appendChild(columns);
      }

      while (channels.childNodes.length > 1) channels.removeChild(channels.lastChild);
      if (!stats.byChannel.length) channels.appendChild(el('p', { class: 'muted', text: w('dashboard.by_channel_empty') }));
      else {
        var max = Math.max.apply(null, stats.byChannel.map(function (c) { return c.count; }));
        var bars = el('div', { class: 'bars' });
        stats.byChannel.forEach(function (c) {
          var fill = el('span', { class: 'bar-fill' });
          fill.style.width = Math.max(2, (c.count / max) * 100) + '%';
          bars.appendChild(
            el('div', { class: 'bar', 'data-channel': c.channel }, [
              el('span', { class: 'bar-label', text: channelName(c.channel) }),
              el('span', { class: 'bar-track' }, [fill]),
              el('span', { class: 'bar-value', text: String(c.count) }),
            ]),
          );
        });
        channels.appendChild(bars);
      }
    }

    function load() {
      api('GET', '/dashboard').then(function (answer) {
        if (answer.status === 200) draw(answer.body);
      });
    }
    load();
    var off = onLive('queue', load);
    var timer = setInterval(load, 30000);
    return {
      cleanup: function () {
        off();
        clearInterval(timer);
      },
    };
  }

  // ------------------------------------------------------------------ canned replies
  function renderCanned(container) {
    var list = el('ul', { class: 'rows', id: 'canned-list' });
    var title = el('input', { id: 'canned-title', required: true, maxlength: 80 });
    var text = el('textarea', { id: 'canned-text', required: true, rows: 3, maxlength: 2000 });
    var form = el('form', { class: 'panel form-grid' }, [
      el('label', { for: 'canned-title', text: w('canned.title') }),
      title,
      el('label', { for: 'canned-text', text: w('canned.text') }),
      text,
      el('button', { type: 'submit', class: 'primary', text: w('canned.add') }),
    ]);
    container.appendChild(el('div', { class: 'page' }, [el('h1', { text: w('canned.heading') }), form, list]));
    function load() {
      api('GET', '/canned').then(function (answer) {
        if (answer.status !== 200) return;
        state.canned = answer.body.items;
        clear(list);
        if (!state.canned.length) list.appendChild(el('li', { class: 'empty', text: w('canned.empty') }));
        state.canned.forEach(function (c) {
          list.appendChild(
            el('li', { class: 'row' }, [
              el('div', {}, [el('strong', { text: c.title }), el('p', { text: c.text })]),
              el('button', {
                type: 'button',
                class: 'danger small',
                text: w('canned.delete'),
                onclick: function () {
                  api('DELETE', '/canned/' + c.id).then(load);
                },
              }),
            ]),
          );
        });
      });
    }
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      api('POST', '/canned', { title: title.value, text: text.value }).then(function (answer) {
        if (answer.status !== 201) return toast(errorText(answer), 'error');
        title.value = '';
        text.value = '';
        load();
      });
    });
    load();
  }

  // ------------------------------------------------------------------ users (admins)
  var ROLES = ['agent', 'supervisor', 'committee', 'admin'];
  function renderUsers(container) {
    var body = el('tbody');
    var fields = {
      name: el('input', { id: 'user-name', required: true, maxlength: 100 }),
      email: el('input', { id: 'user-email', type: 'email', required: true, dir: 'ltr' }),
      role: el('select', { id: 'user-role' }, ROLES.map(function (r) { return el('option', { value: r, text: roleName(r) }); })),
      password: el('input', { id: 'user-password', type: 'password', required: true, minlength: 10, autocomplete: 'new-password', dir: 'ltr' }),
      capacity: el('input', { id: 'user-capacity', type: 'number', min: 1, max: 50, value: '5' }),
    };
    var form = el('form', { class: 'panel form-inline' }, [
      el('label', {}, [w('users.name'), fields.name]),
      el('label', {}, [w('users.email'), fields.email]),
      el('label', {}, [w('users.role'), fields.role]),
      el('label', {}, [w('users.password'), fields.password]),
      el('label', {}, [w('users.capacity'), fields.capacity]),
      el('button', { type: 'submit', class: 'primary', text: w('users.create') }),
    ]);
    var table = el('table', { class: 'table' }, [
      el('thead', {}, [
        el('tr', {}, [w('users.name'), w('users.email'), w('users.role'), w('users.capacity'), w('users.active'), ''].map(function (h) { return el('th', { text: h }); })),
      ]),
      body,
    ]);
    container.appendChild(el('div', { class: 'page' }, [el('h1', { text: w('users.heading') }), form, el('div', { class: 'table-wrap' }, [table])]));

    function patch(id, changes) {
      return api('PATCH', '/users/' + encodeURIComponent(id), changes).then(function (answer) {
        if (answer.status !== 200) toast(errorText(answer), 'error');
        else toast(w('users.saved'), 'info');
        load();
      });
    }
    function load() {
      api('GET', '/users').then(function (answer) {
        if (answer.status !== 200) return;
        clear(body);
        answer.body.items.forEach(function (u) {
          var role = el('select', { 'aria-label': w('users.role') }, ROLES.map(function (r) { return el('option', { value: r, text: roleName(r) }); }));
          role.value = u.role;
          role.addEventListener('change', function () { patch(u.id, { role: role.value }); });
          var password = el('input', { type: 'password', minlength: 10, autocomplete: 'new-password', 'aria-label': w('users.reset_password'), placeholder: w('users.reset_password'), dir: 'ltr' });
          body.appendChild(
            el('tr', { 'data-user': u.email }, [
              el('td', { text: u.name }),
              el('td', { dir: 'ltr', class: 'ltr', text: u.email }),
              el('td', {}, [role]),
              el('td', { text: String(u.capacity) }),
              el('td', {}, [el('span', { class: 'badge ' + (u.active ? 'status-assigned' : 'status-left'), text: u.active ? w('users.active') : w('users.inactive') })]),
              el('td', { class: 'row-actions' }, [
                el('button', { type: 'button', class: 'small', text: u.active ? w('users.disable') : w('users.enable'), onclick: function () { patch(u.id, { active: !u.active }); } }),
                password,
                el('button', { type: 'button', class: 'small', text: w('users.reset_password'), onclick: function () { if (password.value.length >= 10) patch(u.id, { password: password.value }); } }),
              ]),
            ]),
          );
        });
      });
    }
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      api('POST', '/users', {
        name: fields.name.value,
        email: fields.email.value,
        role: fields.role.value,
        password: fields.password.value,
        capacity: Number(fields.capacity.value) || 5,
      }).then(function (answer) {
        if (answer.status === 409) return toast(w('users.email_taken'), 'error');
        if (answer.status !== 201) return toast(errorText(answer), 'error');
        form.reset();
        load();
      });
    });
    load();
  }

  // ------------------------------------------------------------------ audit log (admins)
  function renderAudit(container) {
    var body = el('tbody');
    container.appendChild(
      el('div', { class: 'page' }, [
        el('h1', { text: w('audit.heading') }),
        el('div', { class: 'table-wrap' }, [
          el('table', { class: 'table' }, [
            el('thead', {}, [el('tr', {}, [w('audit.when'), w('audit.who'), w('audit.what'), w('audit.subject')].map(function (h) { return el('th', { text: h }); }))]),
            body,
          ]),
        ]),
      ]),
    );
    api('GET', '/audit').then(function (answer) {
      if (answer.status !== 200) return;
      answer.body.items.forEach(function (row) {
        var actor = String(row.actor || '');
        var who = actor.indexOf('staff:') === 0 ? staffName(actor.slice(6)) || actor : actor;
        body.appendChild(
          el('tr', {}, [
            el('td', { text: formatTime(row.createdAt) }),
            el('td', { text: who }),
            el('td', { dir: 'ltr', class: 'ltr', text: row.action }),
            el('td', { dir: 'ltr', class: 'ltr', text: (row.subjectType || '') + (row.subjectId ? ':' + row.subjectId : '') }),
          ]),
        );
      });
    });
  }

  // ------------------------------------------------------------------ sections and start
  function register(section) {
    if (!section || !section.id || typeof section.render !== 'function') return;
    state.sections = state.sections.filter(function (s) {
      return s.id !== section.id;
    });
    state.sections.push({ id: section.id, label: section.label || section.id, roles: section.roles || HANDLERS, render: section.render, order: section.order || 50 });
    state.sections.sort(function (a, b) {
      return a.order - b.order;
    });
    if (state.user) {
      renderShell();
      route();
    }
  }

  function builtIn() {
    register({ id: 'conversations', order: 10, label: function () { return w('nav.conversations'); }, roles: HANDLERS, render: renderConversations });
    register({ id: 'dashboard', order: 20, label: function () { return w('nav.dashboard'); }, roles: HANDLERS, render: renderDashboard });
    register({ id: 'canned', order: 70, label: function () { return w('nav.canned'); }, roles: OVERSEERS, render: renderCanned });
    register({ id: 'users', order: 80, label: function () { return w('nav.users'); }, roles: ['admin'], render: renderUsers });
    register({ id: 'audit', order: 90, label: function () { return w('nav.audit'); }, roles: ['admin'], render: renderAudit });
  }

  function start() {
    var asked = (document.documentElement.getAttribute('lang') || 'ar').slice(0, 2);
    var query = /[?&]lang=en\b/.test(location.search) ? 'en' : asked === 'en' ? 'en' : 'ar';
    fetch(API + '/texts?locale=' + query, { credentials: 'same-origin' })
      .then(function (res) {
        return res.json();
      })
      .then(function (bundle) {
        state.locale = bundle.locale;
        state.timeZone = bundle.timeZone || undefined;
        state.texts = bundle.texts || {};
        document.documentElement.lang = bundle.locale;
        document.documentElement.dir = bundle.dir;
        document.title = w('title');
        return api('GET', '/me');
      })
      .then(function (answer) {
        if (answer.status === 200) signedIn(answer.body.user, answer.body.csrfToken);
        else showLogin();
      })
      .catch(function () {
        // The texts themselves did not load, so this one line cannot come from locales/.
        clear(app).appendChild(el('p', { class: 'placeholder', role: 'alert', text: 'تعذّر تحميل لوحة الموظفين. حدّث الصفحة. / The console could not load. Reload the page.' }));
      });
  }

  // Sections register before or after start; those from later scripts arrive before DOMContentLoaded.
  var pending = (window.NabtaConsole && window.NabtaConsole.pending) || [];
  window.NabtaConsole = { register: register, t: t };
  builtIn();
  pending.forEach(register);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
