/* Piiri audience page.
 *
 * For people watching a table as its audience (facilitator/live/audience.py): it says
 * {"t": "hello", "v": 1, "role": "audience", "room": CODE, "token": T} (T is a random token kept
 * in this browser, so a reconnect keeps its vote) and draws every {"t": "audience", "n": N,
 * "scene": {...}, "ballot": {...}, "tally": {...}} it receives: the activity's scene without
 * anybody's name, and the audience's own ballot beside the group's vote. A vote is
 * {"t": "audience_vote", "ballot": KEY, "choice": VALUE}, once per ballot. The audience never
 * decides the group's choice; the page says so.
 *
 * For tests the page exposes on <body>: data-state (connecting | open | retry | closed),
 * data-n (the newest frame drawn) and data-voted (the ballot key voted on, if any).
 */
(function () {
  'use strict';

  var body = document.body;
  var common = window.PiiriCommon;
  var ROOM = body.getAttribute('data-room') || '';
  var WS_PATH = body.getAttribute('data-ws') || '/ws?role=audience';
  var $ = function (id) { return document.getElementById(id); };
  var h = common.h;

  function w4(fi, sv, en, selko) { return { fi: fi, sv: sv, en: en, 'fi-x-selko': selko || fi }; }
  var WORDS = {
    role: w4('Yleisö', 'Publik', 'Audience', 'Yleisö'),
    langs: w4('Kieli', 'Språk', 'Language', 'Kieli'),
    connecting: w4('Yhdistetään…', 'Ansluter…', 'Connecting…', 'Yhdistetään…'),
    retry: w4('Yhteys katkesi. Yritetään uudelleen…', 'Anslutningen bröts. Försöker igen…',
      'The connection broke. Trying again…', 'Yhteys katkesi. Yritetään uudestaan…'),
    ballot: w4('Yleisön äänestys', 'Publikens omröstning', "The audience's vote", 'Yleisö äänestää'),
    apart: w4('Yleisön äänet lasketaan erikseen. Ryhmä päättää itse, miten tarina jatkuu.',
      'Publikens röster räknas för sig. Gruppen bestämmer själv hur berättelsen går vidare.',
      'The audience’s votes are counted apart. The group decides for itself how the story goes on.',
      'Yleisön äänet lasketaan erikseen. Ryhmä päättää itse.'),
    closedBallot: w4('Äänestys on päättynyt.', 'Omröstningen är slut.', 'The vote has closed.',
      'Äänestys loppui.'),
    mine: w4('Äänesi: {choice}', 'Din röst: {choice}', 'Your vote: {choice}', 'Sinun äänesi: {choice}'),
    votes: w4('Yleisö: {votes} ääntä, eniten vaihtoehdolle {top}.',
      'Publiken: {votes} röster, flest för alternativ {top}.',
      'Audience: {votes} votes, most for option {top}.',
      'Yleisö: {votes} ääntä. Eniten ääniä: vaihtoehto {top}.'),
    votesHidden: w4('Yleisö: {votes} ääntä.', 'Publiken: {votes} röster.', 'Audience: {votes} votes.',
      'Yleisö: {votes} ääntä.')
  };
  var LANGS = [['fi', 'Suomi'], ['sv', 'Svenska'], ['en', 'English'], [common.SELKO, 'Selkosuomi']];

  function storedLang() {
    try { return localStorage.getItem('piiri-lang'); } catch (e) { return null; }
  }
  var LANG = (function () {
    var saved = storedLang();
    if (saved && LANGS.some(function (l) { return l[0] === saved; })) return saved;
    var nav = (navigator.language || 'fi').slice(0, 2);
    return nav === 'sv' || nav === 'en' ? nav : 'fi';
  })();

  function pick(text) { return common.pickEntry(text, LANG)[1]; }
  function word(key, params) {
    var text = pick(WORDS[key]);
    Object.keys(params || {}).forEach(function (k) { text = text.split('{' + k + '}').join(String(params[k])); });
    return text;
  }
  function token() {
    try {
      var t = localStorage.getItem('piiri-audience-token');
      if (!t) {
        var bytes = new Uint8Array(16);
        (window.crypto || window.msCrypto).getRandomValues(bytes);
        t = Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
        localStorage.setItem('piiri-audience-token', t);
      }
      return t;
    } catch (e) { return null; }
  }

  var S = { ws: null, n: -1, last: null, voted: {}, status: null, attempt: 0, over: false };

  function setStatus(text) { $('status').textContent = text || ''; }

  function drawLangs() {
    var nav = $('langs');
    nav.textContent = '';
    nav.setAttribute('aria-label', pick(WORDS.langs));
    LANGS.forEach(function (l) {
      nav.appendChild(h('button', { type: 'button', lang: common.htmlLang(l[0]),
        'aria-pressed': l[0] === LANG ? 'true' : 'false',
        onclick: function () {
          LANG = l[0];
          try { localStorage.setItem('piiri-lang', LANG); } catch (e) { /* private mode */ }
          redraw();
        } }, [l[1]]));
    });
  }

  function element(el) {
    var kind = el.kind;
    if (kind === 'story' || kind === 'card') {
      var box = h('section', { class: 'el', 'data-kind': kind });
      if (el.title) box.appendChild(common.ltext('h2', el.title, {}, LANG));
      String(pick(el.body)).split(/\n\s*\n/).forEach(function (para) {
        box.appendChild(h('p', {}, [para]));
      });
      return box;
    }
    if (kind === 'text') {
      var block = h('div', { class: 'el ' + (el.style || 'body'), 'data-kind': 'text' });
      if (el.title) block.appendChild(common.ltext('h2', el.title, {}, LANG));
      String(pick(el.text)).split('\n').forEach(function (line) {
        if (line.trim()) block.appendChild(h('p', {}, [line]));
      });
      return block;
    }
    if (kind === 'image' && /^[A-Za-z0-9_][A-Za-z0-9_.\/-]*$/.test(el.src || '') && el.src.indexOf('..') < 0) {
      return h('figure', { class: 'el', 'data-kind': 'image' },
        [h('img', { src: WS_PATH.split('?')[0].replace(/ws$/, '') + 'content/' + el.src, alt: pick(el.alt) })]);
    }
    if (kind === 'tally') {
      var tally = h('section', { class: 'el', 'data-kind': 'tally' });
      tally.appendChild(common.ltext('h2', el.question, {}, LANG));
      if (el.rows && el.rows.length) {
        tally.appendChild(h('ul', { class: 'rows' }, el.rows.map(function (r) {
          return h('li', {}, [pick(r.label) + ': ' + r.count]);
        })));
      }
      return tally;
    }
    if (kind === 'progress' && el.label) return common.ltext('p', el.label, { class: 'el' }, LANG);
    return null; // a kind this page does not draw
  }

  function drawBallot(msg) {
    var ballot = msg.ballot;
    var section = $('ballot');
    if (!ballot) { section.hidden = true; return; }
    section.hidden = false;
    $('ballot-title').textContent = word('ballot') + ': ' + pick(ballot.question);
    $('ballot-note').textContent = ballot.open ? word('apart') : word('closedBallot');
    var options = $('options');
    options.textContent = '';
    var mine = S.voted[ballot.key];
    ballot.options.forEach(function (o, i) {
      var label = (i + 1) + '. ' + pick(o.label);
      options.appendChild(h('button', { type: 'button', 'data-choice': o.value,
        'aria-pressed': mine === o.value ? 'true' : 'false',
        disabled: !ballot.open || mine != null ? true : null,
        onclick: function () { vote(ballot.key, o.value); } }, [label]));
    });
    var chosen = ballot.options.filter(function (o) { return o.value === mine; })[0];
    $('mine').hidden = !chosen;
    $('mine').textContent = chosen ? word('mine', { choice: pick(chosen.label) }) : '';
    var tally = msg.tally;
    var said = '';
    if (tally) {
      if (tally.counts && tally.top && tally.top.length) {
        var numbers = [];
        ballot.options.forEach(function (o, i) { if (tally.top.indexOf(o.value) >= 0) numbers.push(i + 1); });
        said = word('votes', { votes: tally.votes, top: numbers.join(', ') });
      } else {
        said = word('votesHidden', { votes: tally.votes });
      }
    }
    $('tally').textContent = said;
    if (mine != null) body.setAttribute('data-voted', ballot.key);
  }

  function redraw() {
    document.documentElement.lang = common.htmlLang(LANG);
    $('role').textContent = pick(WORDS.role);
    drawLangs();
    if (S.status) setStatus(S.status.text ? pick(S.status.text) : word(S.status.key));
    var msg = S.last;
    if (!msg) return;
    var scene = msg.scene || {};
    $('title').textContent = scene.title ? pick(scene.title) : 'Piiri';
    var box = $('scene');
    box.textContent = '';
    (scene.elements || []).forEach(function (el) {
      var drawn = element(el);
      if (drawn) box.appendChild(drawn);
    });
    drawBallot(msg);
  }

  function vote(key, value) {
    if (!S.ws || S.ws.readyState !== 1) return;
    S.ws.send(JSON.stringify({ t: 'audience_vote', ballot: key, choice: value }));
  }

  function status(key, text) { S.status = { key: key, text: text }; redraw(); }

  function connect() {
    body.setAttribute('data-state', S.attempt ? 'retry' : 'connecting');
    var ws = new WebSocket(common.wsUrl(WS_PATH));
    S.ws = ws;
    ws.onopen = function () {
      S.attempt = 0;
      ws.send(JSON.stringify({ t: 'hello', v: 1, role: 'audience', room: ROOM, token: token() }));
    };
    ws.onmessage = function (event) {
      var msg;
      try { msg = JSON.parse(event.data); } catch (e) { return; }
      if (msg.t === 'audience') {
        if (msg.n < S.n) return;
        S.n = msg.n;
        S.last = msg;
        S.status = null;
        setStatus('');
        body.setAttribute('data-state', 'open');
        body.setAttribute('data-n', String(msg.n));
        redraw();
      } else if (msg.t === 'audience_voted') {
        S.voted[msg.ballot] = msg.choice;
        redraw();
      } else if (msg.t === 'gone' || (msg.t === 'error' && /^(audience_|no_room|too_many_codes|old_version)/.test(msg.reason))) {
        S.over = true;
        body.setAttribute('data-state', 'closed');
        body.setAttribute('data-reason', msg.reason);
        if (msg.t === 'gone') { S.last = null; $('scene').textContent = ''; $('ballot').hidden = true; }
        status(null, msg.message);
      } else if (msg.t === 'error') {
        status(null, msg.message);
      }
    };
    ws.onclose = function () {
      if (S.over) return;
      body.setAttribute('data-state', 'retry');
      status('retry');
      setTimeout(connect, common.backoff(S.attempt++));
    };
  }

  status('connecting');
  connect();
})();
