/* Piiri leader's panel: the live table page without reloading.
 *
 * Every panel page loads it (buttons with data-print print the page); the rest runs on the
 * live table page only.
 *
 * Small vanilla JS (ES2017, no build step, no framework). The page
 * (facilitator/templates/panel_table.html) works without it: every button is a plain form post.
 * With it, the page polls <body data-live> (GET /panel/t/<code>/live.json) every 2 s and redraws
 * the status line, the game's info, the action buttons, the pending joins (#pending, items with
 * data-pending), the seats (#seats, rows with data-seat) and the screens section. Forms marked
 * data-live are sent with fetch and the view is refreshed at once instead of loading the page.
 *
 * Polling pauses while the tab is hidden. A failed poll shows the "connection lost" words
 * (#live-note) until a poll succeeds again. Every word the script shows comes from the page
 * (<body data-i18n>, JSON), in the leader's language; the script itself has none. For tests, <body> carries data-status (the table's status) and
 * data-conn (ok | lost) and data-seq (the last view's seq).
 */
(function () {
  'use strict';

  // Once per page, however many <script> tags name this file (_base.html loads it for every
  // panel page; a page may name it again).
  if (window.piiriPanelLoaded) return;
  window.piiriPanelLoaded = true;

  const POLL_MS = 2000;
  const TIMEOUT_MS = 8000;
  const body = document.body;
  const LIVE_URL = body.getAttribute('data-live');
  const URLS = {
    remove: body.getAttribute('data-remove'),
    admit: body.getAttribute('data-admit'),
    refuse: body.getAttribute('data-refuse'),
  };

  // Every panel page loads this file: a button marked data-print prints the page (the
  // Content-Security-Policy allows no onclick="…" attributes).
  document.addEventListener('click', (event) => {
    const button = event.target.closest ? event.target.closest('[data-print]') : null;
    if (button) window.print();
  });

  if (!LIVE_URL || !window.fetch) return;

  function readWords() {
    try {
      return JSON.parse(body.getAttribute('data-i18n') || '{}');
    } catch (error) {
      return {};
    }
  }

  /** The page's words, in the leader's language: <body data-i18n> holds them as JSON (see
   *  _js_strings in facilitator/panel.py). Slots such as {name} are filled in here. */
  const T = readWords();
  const fill = (text, slots) => String(text || '').replace(/\{(\w+)\}/g,
    (whole, key) => (key in slots ? String(slots[key]) : whole));

  /** Which of the table's buttons make sense in each status (the page hides the others). */
  const ALLOWED = {
    lobby: ['start', 'end'], playing: ['pause', 'skip', 'end'], paused: ['resume', 'end'],
  };

  const S = {
    timer: null,
    busy: false,
    again: false,
    seq: -1,
    drawn: { seats: '', pending: '', status: '', screens: '' },
    confirm: null, // the seat whose "Poista" confirmation is open
    formsDiffer: 0, // polls in a row whose leader actions differ from the page's forms
    posted: false, // the next view follows the leader's own post from this page
    csrf: (document.querySelector('input[name=csrf_token]') || {}).value || '',
  };

  const $ = (id) => document.getElementById(id);

  /** Make an element: el('td', {class: 'x', 'data-label': 'Tila:'}, [children or text]). */
  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach((key) => {
      const value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      node.setAttribute(key, value === true ? '' : String(value));
    });
    (children || []).forEach((child) => {
      if (child === null || child === undefined) return;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
    return node;
  }

  /** A post form like the page's own: CSRF token, hidden fields, one submit button. */
  function postForm(action, fields, button, buttonAttrs) {
    const inputs = [el('input', { type: 'hidden', name: 'csrf_token', value: S.csrf })];
    Object.keys(fields).forEach((name) => {
      inputs.push(el('input', { type: 'hidden', name: name, value: fields[name] }));
    });
    inputs.push(el('button', Object.assign({ type: 'submit' }, buttonAttrs || {}), [button]));
    return el('form', { method: 'post', action: action, 'data-live': true }, inputs);
  }

  // ---------------------------------------------------------------- drawing

  function drawStatus(v) {
    body.setAttribute('data-status', v.status);
    let line = v.status_text.charAt(0).toUpperCase() + v.status_text.slice(1);
    // A free flow (everyone at once, as in an escape room) has no rounds or turns.
    if ((v.status === 'playing' || v.status === 'paused') && v.flow !== 'free') {
      line += ' · ' + fill(T.round, { round: v.round });
      if (v.current_nickname) line += ' · ' + fill(T.turnOf, { name: v.current_nickname });
    }
    $('status-line').textContent = line;
    const info = $('info');
    info.textContent = '';
    v.info.forEach((row) => {
      info.appendChild(el('div', {}, [el('dt', {}, [row.label]), el('dd', {}, [row.value])]));
    });
    info.hidden = v.info.length === 0;
    const allowed = (ALLOWED[v.status] || []).filter((a) => !(a === 'skip' && v.flow === 'free'));
    document.querySelectorAll('.actions [data-action]').forEach((node) => {
      node.hidden = allowed.indexOf(node.getAttribute('data-action')) < 0;
      if (node.hidden && node.tagName === 'DETAILS') node.open = false;
    });
  }

  function seatRow(s, v) {
    const classes = [];
    if (s.gone) classes.push('gone');
    if (s.seat === v.current && !s.gone) classes.push('current');
    let who = null;
    if (s.member_name) who = el('small', {}, [fill(T.member, { name: s.member_name })]);
    else if (v.roster) who = el('small', {}, [T.notOnRoster]);
    let conn;
    if (s.gone) conn = '–';
    else if (s.connected) conn = T.connected;
    else conn = el('span', { class: 'off' }, [T.disconnected]);
    let remove = null;
    if (!s.gone && v.status !== 'ended') {
      remove = el('details', { class: 'confirm', 'data-confirm': s.seat }, [
        el('summary', { 'data-key': s.seat + ':open' }, [
          el('span', { class: 'when-closed' }, [T.remove]),
          el('span', { class: 'when-open' }, [T.cancel]),
        ]),
        postForm(URLS.remove, { seat: s.seat }, fill(T.removeSeat, { name: s.nickname }),
          { class: 'danger', 'data-key': s.seat + ':remove' }),
      ]);
      if (S.confirm === s.seat) remove.open = true;
    }
    const counts = s.counts || {};
    const labels = T.labels || [];
    return el('tr', { 'data-seat': s.seat, 'data-status': s.status, class: classes.join(' ') }, [
      el('td', { class: 'name' }, [s.nickname, who]),
      el('td', { 'data-label': labels[0] }, [s.status_text]),
      el('td', { 'data-label': labels[1] }, [conn]),
    ].concat(v.flow === 'free' ? [
      // No turns in a free flow: what the seat did, in the game's own words.
      el('td', { 'data-label': T.inGame }, [s.did || '–']),
      el('td', { hidden: true }),
    ] : [
      el('td', { 'data-label': labels[2], class: 'num' }, [String(counts.turn_taken || 0)]),
      el('td', { 'data-label': labels[3], class: 'num' }, [String(counts.turn_passed || 0)]),
    ], [
      el('td', { class: 'remove' }, [remove]),
    ]));
  }

  function drawSeats(v) {
    const tbody = $('seats').tBodies[0];
    tbody.textContent = '';
    v.seats.forEach((s) => tbody.appendChild(seatRow(s, v)));
    if (!v.seats.length) {
      tbody.appendChild(el('tr', { class: 'empty' }, [el('td', { colspan: 6 }, [T.nobody])]));
    }
    const present = v.seats.filter((s) => !s.gone).length;
    $('seats-title').textContent = T.participants + ' (' + present + ')';
  }

  function drawPending(v) {
    const list = $('pending');
    list.textContent = '';
    v.pending.forEach((p) => {
      list.appendChild(el('li', { 'data-pending': p.id }, [
        el('span', { class: 'who' }, [p.nickname,
          p.member_name && p.member_name !== p.nickname ? ' (' + p.member_name + ')' : null]),
        postForm(URLS.admit, { pending: p.id }, T.admit, { 'data-key': p.id + ':admit' }),
        postForm(URLS.refuse, { pending: p.id }, T.refuse, { 'data-key': p.id + ':refuse' }),
      ]));
    });
    $('pending-section').hidden = v.pending.length === 0;
  }

  function drawScreens(v) {
    $('screen-count').textContent = String(v.screens);
    const section = $('screens');
    let warning = $('mirror-warning');
    if (v.mirroring && !warning) {
      warning = el('p', { class: 'notice', id: 'mirror-warning' },
        [T.mirroring + ' ', el('b', {}, [section.getAttribute('data-panel-url') || '/panel/'])]);
      section.querySelector('p').after(warning);
    } else if (!v.mirroring && warning) {
      warning.remove();
    }
  }

  /** Redraw a part only when its data changed, keeping keyboard focus where it was. */
  function redraw(part, data, draw, v) {
    const json = JSON.stringify(data);
    if (json === S.drawn[part]) return;
    S.drawn[part] = json;
    const focused = document.activeElement;
    const key = focused && focused.getAttribute ? focused.getAttribute('data-key') : null;
    draw(v);
    if (key) {
      const again = document.querySelector('[data-key="' + CSS.escape(key) + '"]');
      if (again) again.focus();
    }
  }

  function draw(v, afterPost) {
    body.setAttribute('data-seq', String(v.seq));
    redraw('status', [v.status, v.flow, v.status_text, v.round, v.current_nickname, v.info],
      drawStatus, v);
    redraw('pending', v.pending, drawPending, v);
    redraw('seats', [v.status, v.flow, v.current, v.roster, v.seats], drawSeats, v);
    redraw('screens', [v.screens, v.mirroring], drawScreens, v);
    if (v.csrf_token && v.csrf_token !== S.csrf) {
      S.csrf = v.csrf_token;
      document.querySelectorAll('input[name=csrf_token]').forEach((i) => { i.value = S.csrf; });
    }
    reloadIfFormsChanged(v.actions, afterPost);
  }

  /** The game's own leader forms come and go with the table's status (e.g. on start): they
   *  are drawn by the server, so load the page again, unless the leader is typing in one.
   *  Right after the leader's own post at once; otherwise when two polls in a row agree. */
  function reloadIfFormsChanged(actions, afterPost) {
    const shown = Array.from(document.querySelectorAll('form[data-move]'))
      .map((f) => f.getAttribute('data-move'));
    if (shown.join(' ') === (actions || []).join(' ')) {
      S.formsDiffer = 0;
      return;
    }
    S.formsDiffer += 1;
    if (S.formsDiffer < 2 && !afterPost) return;
    const active = document.activeElement;
    if (active && active.closest && active.closest('form.move, #hint')) return;
    window.location.replace(window.location.pathname);
  }

  // ---------------------------------------------------------------- polling

  function note(text) {
    const box = $('live-note');
    box.textContent = text || '';
    box.hidden = !text;
    body.setAttribute('data-conn', text ? 'lost' : 'ok');
  }

  async function fetchWithTimeout(url, options) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
    try {
      return await fetch(url, Object.assign({ signal: controller.signal,
        credentials: 'same-origin' }, options || {}));
    } finally {
      clearTimeout(timer);
    }
  }

  async function refresh() {
    if (S.busy) { S.again = true; return; }
    S.busy = true;
    clearTimeout(S.timer);
    const afterPost = S.posted;
    S.posted = false;
    try {
      const response = await fetchWithTimeout(LIVE_URL, {
        headers: { Accept: 'application/json' }, cache: 'no-store' });
      const type = response.headers.get('Content-Type') || '';
      if (response.redirected && /\/login/.test(response.url)) {
        note(T.login);
      } else if (response.status === 404) {
        note(T.noTable);
      } else if (!response.ok || type.indexOf('application/json') < 0) {
        note(T.lost);
      } else {
        const view = await response.json();
        if (view.seq >= S.seq) {
          S.seq = view.seq;
          draw(view, afterPost);
        }
        note('');
      }
    } catch (error) {
      note(T.lost);
    } finally {
      S.busy = false;
      if (S.again) {
        S.again = false;
        refresh();
      } else {
        schedule();
      }
    }
  }

  function schedule() {
    clearTimeout(S.timer);
    if (!document.hidden) S.timer = setTimeout(refresh, POLL_MS);
  }

  document.addEventListener('visibilitychange', () => {
    if (document.hidden) clearTimeout(S.timer);
    else refresh();
  });

  // ---------------------------------------------------------------- forms

  function showNotice(text) {
    let box = $('notice');
    if (!text) {
      if (box) box.remove();
      return;
    }
    if (!box) {
      box = el('p', { class: 'notice', id: 'notice', role: 'status' });
      $('live').after(box);
    }
    box.textContent = text;
  }

  async function send(form, submitter) {
    const data = new FormData(form);
    if (submitter && submitter.name) data.append(submitter.name, submitter.value);
    const buttons = form.querySelectorAll('button');
    buttons.forEach((b) => { b.disabled = true; });
    try {
      const response = await fetchWithTimeout(form.action, { method: 'POST', body: data });
      if (response.redirected && /\/login/.test(response.url)) {
        note(T.login);
      } else if (!response.ok) {
        showNotice(T.failed + ' (' + response.status + ').');
      } else {
        showNotice(new URL(response.url).searchParams.get('notice'));
      }
    } catch (error) {
      showNotice(T.failed + ': ' + T.lost);
    } finally {
      buttons.forEach((b) => { b.disabled = false; });
      const details = form.closest('details');
      if (details) details.open = false;
      if (form.querySelector('input[name=seat]')) S.confirm = null;
      S.posted = true;
      refresh();
    }
  }

  document.addEventListener('submit', (event) => {
    const form = event.target;
    if (!form.hasAttribute || !form.hasAttribute('data-live')) return;
    event.preventDefault();
    send(form, event.submitter);
  });

  // Which seat's "Poista" confirmation is open survives the seats table being redrawn. The
  // toggle event does not bubble, so listen in the capture phase.
  $('seats').addEventListener('toggle', (event) => {
    const details = event.target;
    const seat = details.getAttribute && details.getAttribute('data-confirm');
    if (!seat) return;
    if (details.open) S.confirm = seat;
    else if (S.confirm === seat) S.confirm = null;
  }, true);

  // A tap anywhere else closes an open confirmation, as with any pop-up.
  document.addEventListener('click', (event) => {
    document.querySelectorAll('details.confirm[open]').forEach((details) => {
      if (!details.contains(event.target)) details.open = false;
    });
  });

  // A notice belongs to the post that made it: reloading the page later should not repeat it.
  if (window.location.search) window.history.replaceState(null, '', window.location.pathname);

  body.setAttribute('data-conn', 'ok');
  refresh();
}());
