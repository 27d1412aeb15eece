/*
 * The console's "الطلبات" section: support requests for the back office. The list with a status
 * filter and a search, a request's details (masked as the server decides for the role), its
 * eligibility check in plain words, its documents, the committee's decision form and the CSV export.
 * Registered with NabtaConsole.register (console.js); routes: #/requests and #/requests/<reference>.
 * Texts: console.requests.* (locales/<lng>/console-requests.json, served in the console's bundle).
 * The server checks every role; what this file hides is only what the role could not use anyway.
 */
(function () {
  'use strict';

  var DECISIONS = ['under_review', 'needs_info', 'accepted', 'rejected'];
  var NEEDS_REASON = ['needs_info', 'rejected'];
  var STATUSES = ['submitted', 'under_review', 'needs_info', 'accepted', 'rejected'];
  var ERRORS = ['reason_required', 'bad_status', 'forbidden', 'not_found', 'not_signed_in', 'csrf'];
  // Kept while the console is open: coming back to the list shows the same filter.
  var filter = { status: '', q: '' };

  function render(container, ctx, argument) {
    var t = function (key, vars) {
      return ctx.t('requests.' + key, vars);
    };
    var left = false;

    // Elements from text only: nothing from the server is ever parsed as HTML.
    function el(tag, attrs) {
      var node = ctx.el(tag, attrs, []);
      for (var i = 2; i < arguments.length; i++) append(node, arguments[i]);
      return node;
    }
    function append(node, child) {
      if (child === null || child === undefined || child === false) return;
      if (Array.isArray(child)) return child.forEach(function (c) { append(node, c); });
      node.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
    }
    function message(kind, text) {
      return el('p', { class: 'rq-message rq-' + kind, role: kind === 'error' ? 'alert' : 'status', text: text });
    }
    function errorText(answer) {
      var code = answer && answer.body && answer.body.error && answer.body.error.code;
      return t('errors.' + (ERRORS.indexOf(code) >= 0 ? code : 'generic'));
    }
    function statusBadge(status) {
      return el('span', { class: 'rq-status rq-status-' + status, text: t('statuses.' + status) });
    }
    function frame() {
      var section = el('section', { class: 'rq-section', 'aria-labelledby': 'rq-title' });
      ctx.clear(container).appendChild(section);
      return section;
    }

    // ---- list ------------------------------------------------------------------------------------
    function filters() {
      var status = el('select', { id: 'rq-status', name: 'status' }, el('option', { value: '', text: t('filters.all') }));
      STATUSES.forEach(function (s) {
        status.appendChild(el('option', { value: s, selected: filter.status === s, text: t('statuses.' + s) }));
      });
      var q = el('input', { id: 'rq-q', name: 'q', type: 'search', value: filter.q, maxlength: 100, placeholder: t('filters.search_placeholder'), autocomplete: 'off' });
      var form = el(
        'form',
        { class: 'rq-filters', role: 'search', 'aria-label': t('filters.label') },
        el('label', { for: 'rq-status', text: t('filters.status') }),
        status,
        el('label', { for: 'rq-q', text: t('filters.search') }),
        q,
        el('button', { type: 'submit', class: 'primary', text: t('filters.apply') }),
      );
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        filter = { status: status.value, q: q.value.trim() };
        showList();
      });
      status.addEventListener('change', function () {
        form.requestSubmit();
      });
      return form;
    }

    function exportLink(permissions) {
      if (!permissions || !permissions.export) return null;
      var query = filter.status ? '?status=' + encodeURIComponent(filter.status) : '';
      return el('a', { class: 'rq-button rq-export', href: '/api/console/requests/export.csv' + query, download: '', text: t('filters.export') });
    }

    function table(items) {
      var columns = ['reference', 'name', 'national_id', 'mobile', 'residence', 'eligibility', 'status', 'submitted_at'];
      return el(
        'table',
        { class: 'rq-table' },
        el('thead', {}, el('tr', {}, columns.map(function (c) { return el('th', { scope: 'col', text: t('columns.' + c) }); }))),
        el(
          'tbody',
          {},
          items.map(function (r) {
            return el(
              'tr',
              {},
              el('td', {}, el('a', { href: '#/requests/' + encodeURIComponent(r.reference), class: 'rq-ref', dir: 'ltr', text: r.reference })),
              el('td', { text: r.fullName }),
              el('td', { dir: 'ltr', class: 'rq-num', text: r.nationalIdMasked }),
              el('td', { dir: 'ltr', class: 'rq-num', text: r.mobile }),
              el('td', { text: r.residence || '' }),
              el('td', { text: r.eligibility ? t('eligibility.outcomes.' + r.eligibility) : '' }),
              el('td', {}, statusBadge(r.status)),
              el('td', { text: ctx.formatTime(r.submittedAt) }),
            );
          }),
        ),
      );
    }

    function showList() {
      var section = frame();
      var tools = el('div', { class: 'rq-tools' }, filters());
      var results = el('div', { class: 'rq-results', 'aria-busy': 'true' }, message('info', t('loading')));
      section.appendChild(el('h2', { id: 'rq-title', text: t('title') }));
      section.appendChild(tools);
      section.appendChild(results);
      var query = [];
      if (filter.status) query.push('status=' + encodeURIComponent(filter.status));
      if (filter.q) query.push('q=' + encodeURIComponent(filter.q));
      return ctx.api('GET', '/requests' + (query.length ? '?' + query.join('&') : '')).then(function (answer) {
        if (left) return;
        results.removeAttribute('aria-busy');
        ctx.clear(results);
        if (answer.status !== 200) return results.appendChild(message('error', errorText(answer)));
        append(tools, exportLink(answer.body.permissions));
        var items = answer.body.items;
        results.appendChild(el('p', { class: 'rq-count', role: 'status', text: t('count', { count: items.length }) }));
        results.appendChild(items.length ? table(items) : message('info', t('empty')));
      });
    }

    // ---- detail ----------------------------------------------------------------------------------
    function field(label, value, attrs) {
      var dd = el('dd', attrs || {});
      append(dd, value === undefined || value === null || value === '' ? '—' : value);
      return [el('dt', { text: label }), dd];
    }
    function yesNo(value) {
      return value === true ? t('detail.yes') : value === false ? t('detail.no') : t('detail.unknown');
    }

    function applicant(r, permissions) {
      var residence = r.residence.place || t('detail.unknown');
      if (r.residence.km !== null && r.residence.km !== undefined) residence += ' (' + t('detail.distance', { km: r.residence.km }) + ')';
      return el(
        'section',
        { class: 'rq-card', 'aria-labelledby': 'rq-applicant' },
        el('h3', { id: 'rq-applicant', text: t('detail.applicant') }),
        el(
          'dl',
          {},
          field(t('columns.name'), r.fullName),
          field(t('columns.national_id'), r.nationalId, { dir: 'ltr', class: 'rq-num' }),
          field(t('columns.mobile'), r.mobile, { dir: 'ltr', class: 'rq-num' }),
          field(t('columns.residence'), residence),
          field(t('detail.in_area'), yesNo(r.residence.inArea)),
          r.residence.lat !== undefined ? field(t('detail.location'), r.residence.lat + ', ' + r.residence.lng, { dir: 'ltr' }) : null,
          field(t('detail.other_associations'), yesNo(r.otherAssociations)),
          r.otherAssociations ? field(t('detail.other_associations_names'), r.otherAssociationsNames) : null,
          field(t('detail.channel'), channelName(r.channel)),
          field(t('columns.submitted_at'), ctx.formatTime(r.submittedAt)),
          field(t('detail.declared_at'), ctx.formatTime(r.declaredAt)),
          field(t('columns.status'), statusBadge(r.status)),
        ),
        permissions.fullIdentity ? null : el('p', { class: 'rq-note', text: t('detail.masked_note') }),
      );
    }

    /** The console's name for a channel (its texts), or the channel's id when it has none. */
    function channelName(channel) {
      var key = 'web.channels.' + channel;
      var name = ctx.t(key);
      return name === key ? channel : name;
    }

    /** A rule in plain words; a rule added to eligibility.yaml without texts shows the policy's own words. */
    function ruleText(check) {
      var key = 'requests.eligibility.rules.' + check.id;
      var plain = ctx.t(key);
      return plain === key ? check.policy || check.id : plain;
    }

    function eligibility(r) {
      var e = r.eligibility;
      var decisive = e.checks.filter(function (c) { return c.id === e.rule; })[0];
      return el(
        'section',
        { class: 'rq-card', 'aria-labelledby': 'rq-eligibility' },
        el('h3', { id: 'rq-eligibility', text: t('eligibility.heading') }),
        el('p', { class: 'rq-outcome rq-outcome-' + e.outcome, text: e.outcome ? t('eligibility.outcomes.' + e.outcome) : t('detail.unknown') }),
        decisive ? el('p', { text: t('eligibility.decisive', { rule: ruleText(decisive) }) }) : null,
        el(
          'ul',
          { class: 'rq-checks' },
          e.checks.map(function (c) {
            return el(
              'li',
              { class: 'rq-check rq-check-' + c.result },
              el('span', { class: 'rq-check-result', text: t('eligibility.results.' + c.result) }),
              ' — ',
              ruleText(c),
              c.policy ? el('small', { class: 'rq-policy', text: t('eligibility.policy', { text: c.policy }) }) : null,
            );
          }),
        ),
      );
    }

    function documents(r, permissions) {
      var items = r.documents.map(function (d) {
        var name = t('documents.roles.' + (d.role || 'extra'));
        return el(
          'li',
          { class: 'rq-doc' },
          el('span', { class: 'rq-doc-name', text: name }),
          el('span', { class: 'rq-doc-meta', dir: 'ltr', text: d.mime + ' · ' + t('documents.size_kb', { kb: Math.max(1, Math.round(d.size / 1024)) }) }),
          d.url
            ? el(
                'span',
                { class: 'rq-doc-actions' },
                el('a', { href: d.url, target: '_blank', rel: 'noopener', 'aria-label': t('documents.open') + ': ' + name, text: t('documents.open') }),
                el('a', { href: d.url + '?download=1', download: '', 'aria-label': t('documents.download') + ': ' + name, text: t('documents.download') }),
              )
            : null,
        );
      });
      return el(
        'section',
        { class: 'rq-card', 'aria-labelledby': 'rq-documents' },
        el('h3', { id: 'rq-documents', text: t('documents.heading') }),
        items.length ? el('ul', { class: 'rq-docs' }, items) : el('p', { text: t('documents.none') }),
        permissions.documents ? null : el('p', { class: 'rq-note', text: t('documents.restricted') }),
      );
    }

    function decision(r, permissions) {
      var section = el('section', { class: 'rq-card', 'aria-labelledby': 'rq-decision' }, el('h3', { id: 'rq-decision', text: t('decision.heading') }));
      if (r.decision && r.decision.decidedAt) {
        section.appendChild(el('p', { text: t('decision.last', { status: t('statuses.' + r.status) }) + ' ' + t('decision.by', { name: r.decision.decidedBy || '—', at: ctx.formatTime(r.decision.decidedAt) }) }));
        if (r.decision.reason) section.appendChild(el('p', { class: 'rq-reason', text: t('decision.reason_shown', { reason: r.decision.reason }) }));
      }
      if (!permissions.decide) {
        section.appendChild(el('p', { class: 'rq-note', text: t('decision.view_only') }));
        return section;
      }
      var status = el('select', { id: 'rq-decision-status', name: 'status', required: true }, el('option', { value: '', text: t('decision.choose') }));
      DECISIONS.forEach(function (s) {
        status.appendChild(el('option', { value: s, text: t('statuses.' + s) }));
      });
      var reason = el('textarea', { id: 'rq-decision-reason', name: 'reason', rows: 3, maxlength: 2000, 'aria-describedby': 'rq-reason-hint' });
      var feedback = el('div', { class: 'rq-feedback' });
      var submit = el('button', { type: 'submit', class: 'primary', text: t('decision.submit') });
      status.addEventListener('change', function () {
        var needed = NEEDS_REASON.indexOf(status.value) >= 0;
        reason.required = needed;
        reason.setAttribute('aria-required', String(needed));
      });
      var form = el(
        'form',
        { class: 'rq-decision', novalidate: true },
        el('label', { for: 'rq-decision-status', text: t('decision.status') }),
        status,
        el('label', { for: 'rq-decision-reason', text: t('decision.reason') }),
        reason,
        el('p', { id: 'rq-reason-hint', class: 'rq-hint', text: t('decision.reason_hint') }),
        submit,
        feedback,
      );
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        ctx.clear(feedback);
        if (DECISIONS.indexOf(status.value) < 0) return feedback.appendChild(message('error', t('errors.bad_status')));
        var text = reason.value.trim();
        if (NEEDS_REASON.indexOf(status.value) >= 0 && !text) {
          reason.focus();
          return feedback.appendChild(message('error', t('errors.reason_required')));
        }
        submit.disabled = true;
        var body = text ? { status: status.value, reason: text } : { status: status.value };
        ctx.api('POST', '/requests/' + encodeURIComponent(r.reference) + '/decision', body).then(function (answer) {
          if (left) return;
          if (answer.status === 200) return renderDetail(answer.body, message('success', t('decision.saved')));
          submit.disabled = false;
          feedback.appendChild(message('error', errorText(answer)));
        });
      });
      section.appendChild(form);
      return section;
    }

    function backLink() {
      return el('a', { class: 'rq-back', href: '#/requests', text: t('detail.back') });
    }

    function renderDetail(body, notice) {
      var r = body.request;
      var section = frame();
      var heading = el('h2', { id: 'rq-title', tabindex: '-1', text: t('detail.heading', { reference: r.reference }) });
      append(section, [backLink(), heading, notice || null]);
      section.appendChild(el('div', { class: 'rq-detail' }, applicant(r, body.permissions), eligibility(r), documents(r, body.permissions), decision(r, body.permissions)));
      heading.focus();
    }

    function showDetail(reference) {
      frame().appendChild(message('info', t('loading')));
      return ctx.api('GET', '/requests/' + encodeURIComponent(reference)).then(function (answer) {
        if (left) return;
        if (answer.status === 200) return renderDetail(answer.body);
        append(frame(), [backLink(), message('error', errorText(answer))]);
      });
    }

    function show(arg) {
      if (arg) showDetail(arg);
      else showList();
    }
    show(argument);
    return {
      update: show,
      cleanup: function () {
        left = true;
      },
    };
  }

  var section = {
    id: 'requests',
    order: 30,
    // Everyone who answers beneficiaries may look a request up; the server narrows what each role sees.
    roles: ['agent', 'supervisor', 'committee', 'admin'],
    label: function () {
      return window.NabtaConsole.t('requests.nav');
    },
    render: render,
  };
  // The console registers sections whenever its script ran first; otherwise it picks them up at start.
  var consoleApi = (window.NabtaConsole = window.NabtaConsole || { pending: [] });
  if (typeof consoleApi.register === 'function') consoleApi.register(section);
  else (consoleApi.pending = consoleApi.pending || []).push(section);
})();
