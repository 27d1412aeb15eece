/*
 * The console's "WhatsApp Web" section (admins): where the link to the association's phone stands,
 * and the QR to scan while it waits for one. Reads GET /api/console/whatsapp-web every few seconds
 * while the section is open (a QR changes about every 20 seconds; a link rarely changes otherwise).
 * Texts come from the console's bundle (console.whatsapp_web.* in locales/<lng>/whatsappweb.json).
 */
(function () {
  'use strict';

  var POLL_MS = 3000;

  function render(container, ctx) {
    var t = function (key, vars) {
      return ctx.t('whatsapp_web.' + key, vars);
    };
    var el = ctx.el;
    var timer = null;
    var stopped = false;

    var state = el('p', { class: 'wa-state', id: 'whatsapp-web-state', role: 'status' });
    var detail = el('p', { class: 'wa-detail muted' });
    var qrBox = el('figure', { class: 'wa-qr', hidden: true }, [
      el('img', { id: 'whatsapp-web-qr', alt: t('qr_alt'), width: '264', height: '264', style: 'background:#fff;padding:8px;image-rendering:pixelated' }),
      el('figcaption', { text: t('scan') }),
    ]);
    container.appendChild(
      el('section', { class: 'panel', 'aria-labelledby': 'whatsapp-web-heading' }, [
        el('h2', { id: 'whatsapp-web-heading', text: t('title') }),
        el('p', { class: 'wa-warning', role: 'note', text: t('warning'), style: 'border-inline-start:4px solid #e0a800;background:#fff8e1;padding:8px 12px;border-radius:4px' }),
        state,
        detail,
        qrBox,
      ]),
    );

    function show(answer) {
      if (answer.status === 404) {
        state.textContent = t('disabled');
        detail.textContent = '';
        qrBox.hidden = true;
        return false;
      }
      if (answer.status !== 200 || !answer.body) {
        detail.textContent = t('unavailable');
        return true;
      }
      var link = answer.body;
      state.setAttribute('data-state', link.state);
      state.textContent = t('state.' + link.state) + ' — ' + t('since', { time: ctx.formatTime(link.since) });
      var lines = [];
      if (link.state === 'ready') lines.push(t('linked'));
      if (link.reason && (link.state === 'disconnected' || link.state === 'reconnecting')) lines.push(t('reason', { reason: link.reason }));
      if (link.retryAt && new Date(link.retryAt).getTime() > Date.now()) lines.push(t('retry_at', { time: ctx.formatTime(link.retryAt) }));
      detail.textContent = lines.join(' · ');
      var img = qrBox.querySelector('img');
      if (link.qr) {
        if (img.getAttribute('src') !== link.qr) img.setAttribute('src', link.qr);
        qrBox.hidden = false;
      } else {
        img.removeAttribute('src');
        qrBox.hidden = true;
      }
      return true;
    }

    function poll() {
      ctx.api('GET', '/whatsapp-web').then(function (answer) {
        if (stopped) return;
        if (show(answer)) timer = setTimeout(poll, POLL_MS);
      });
    }
    poll();

    return {
      cleanup: function () {
        stopped = true;
        clearTimeout(timer);
      },
    };
  }

  var section = {
    id: 'whatsapp-web',
    order: 85,
    roles: ['admin'],
    label: function () {
      return window.NabtaConsole.t('whatsapp_web.nav');
    },
    render: render,
  };
  // The console registers sections whenever its script ran first; otherwise it picks them up at start.
  var consoleApi = (window.NabtaConsole = window.NabtaConsole || { pending: [] });
  if (typeof consoleApi.register === 'function') consoleApi.register(section);
  else (consoleApi.pending = consoleApi.pending || []).push(section);
})();
