/* Piiri tablet client.
 *
 * One small vanilla-JS file (ES2017, no build step, no framework) for every participant's tablet or
 * phone. It speaks wire protocol v1 (engine/protocol.py) and draws the Controls vocabulary
 * (engine/controls.py) generically: one renderer per control kind in RENDER below. Games never
 * ship their own JavaScript; a new control kind gets its renderer here.
 *
 * The page (facilitator/templates/tablet.html) gives the room code and the WebSocket path as
 * data attributes on <body>. For tests the client exposes, on <body>:
 *   data-state  connecting | join | seated | gone
 *   data-seat   the seat id once seated
 * and each rendered control carries data-kind; every button that sends a move carries data-move.
 */
(function () {
  'use strict';

  // ---------------------------------------------------------------- configuration

  var body = document.body;
  var ROOM = body.getAttribute('data-room') || '';
  var WS_PATH = body.getAttribute('data-ws') || '/ws';
  // Content pictures (an option's picture) are served beside the WebSocket, as for the screen.
  var CONTENT_PATH = (/^wss?:/.test(WS_PATH) ? '/ws' : WS_PATH).replace(/ws$/, '') + 'content/';
  var IMAGE_SRC = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(\/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$/;
  var TOKEN_KEY = 'piiri.seat.' + ROOM;
  var LANG_KEY = 'piiri.lang';
  // The last move id used, so a reloaded page never reuses an id the server has seen.
  var MOVE_KEY = 'piiri.move.' + ROOM;

  var NICKNAME_MAX = 40; // the panel's member nickname limit (engine NICKNAME_MAX)
  var PING_MS = 25000;
  var SILENCE_MS = 60000; // no frame at all for this long: the socket is dead, start again
  var TAP_LOCK_MS = 800; // buttons of a control stay disabled this long after a tap
  var JOIN_WAIT_MS = 15000;

  var $ = function (id) { return document.getElementById(id); };
  var common = window.PiiriCommon; // common.js: what the tablet and the screen share

  // localStorage can be missing or throw (private mode, disabled storage): carry on without it.
  var store = {
    get: function (k) { try { return window.localStorage.getItem(k); } catch (e) { return null; } },
    set: function (k, v) { try { window.localStorage.setItem(k, v); } catch (e) { /* ignore */ } },
    del: function (k) { try { window.localStorage.removeItem(k); } catch (e) { /* ignore */ } },
  };

  // ---------------------------------------------------------------- languages

  var SELKO = common.SELKO;
  var SWITCH = [['fi', 'FI', 'suomi'], ['sv', 'SV', 'svenska'], ['en', 'EN', 'English'],
    [SELKO, 'Selko', 'selkosuomi']];
  var SPEECH_LANG = { 'fi-x-selko': 'fi-FI', fi: 'fi-FI', sv: 'sv-FI', en: 'en-GB' };

  var baseOf = common.baseOf;
  var isRtl = common.isRtl;
  var htmlLang = common.htmlLang;

  /** [tag, text] of a LocalizedText for the reader; a plain string is language-neutral. */
  function pickEntry(text) { return common.pickEntry(text, S.lang); }

  function pick(text) { return pickEntry(text)[1]; }

  function initialLang() {
    var saved = store.get(LANG_KEY);
    if (saved && /^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(saved) && saved.length <= 20) return saved;
    var nav = (navigator.languages && navigator.languages[0]) || navigator.language || 'fi';
    var base = baseOf(nav.replace('_', '-'));
    return /^[a-z]{2,3}$/.test(base) ? base : 'fi';
  }

  // The client's own words. Easy Finnish lists only what differs from Finnish: the fallback
  // chain fi-x-selko → fi fills in the rest, exactly as for content.
  var STR = {
    fi: {
      room: 'Huone', language: 'Kieli', connecting: 'Yhdistetään…', connected: 'Yhteys toimii',
      reconnecting: 'Yhdistetään uudelleen…',
      offline: 'Yhteys on hetken poikki. Yritä pian uudelleen.',
      joinTitle: 'Tule mukaan', pickName: 'Valitse nimesi', otherName: 'Nimeni ei ole listalla',
      nickname: 'Nimimerkki', nicknameHint: 'Nimi, jonka muut näkevät. Voit keksiä sen itse.',
      needName: 'Kirjoita ensin nimi.', choosePicture: 'Valitse kuvasi', chooseColour: 'Väri',
      chooseIcon: 'Kuva', taken: 'varattu', join: 'Liity', joining: 'Liitytään…',
      waitAdmit: 'Odotetaan, että ohjaaja päästää sinut mukaan.', wait: 'Odota hetki…',
      you: 'Sinä', handOver: 'Luovuta laite',
      handOverAsk: 'Annetaanko laite seuraavalle? Paikkasi pelissä vapautuu.',
      handOverYes: 'Kyllä, luovuta', cancel: 'Peruuta', close: 'Sulje',
      readAloud: 'Lue ääneen', send: 'Lähetä', sent: 'Lähetetty', agree: 'Hyväksyn',
      notNow: 'Ei nyt', pass: 'Ohita', ready: 'Olen valmis', roll: 'Heitä noppaa',
      yourTurn: 'Sinun vuorosi', moveUp: 'Siirrä ylös', moveDown: 'Siirrä alas',
      erase: 'Pyyhi', code: 'Koodi', chooseFirst: 'Valitse ensin.', writeFirst: 'Kirjoita ensin vastaus.',
      leaderReadsFirst: 'Ohjaaja lukee ehdotukset ensin. Muut näkevät ehdotuksesi vasta, kun ohjaaja on hyväksynyt sen.',
      matchHelp: 'Valitse ensin yksi, sitten sen pari.', pairedWith: 'pari: {name}',
      orderHelp: 'Järjestä nuolinapeilla.', tapPicture: 'Napauta kuvaa.',
      charsLeft: '{n} merkkiä jäljellä', chosen: 'valittu', seatLost: 'Liity peliin uudelleen.',
      yourAnswer: 'Vastauksesi', yourProposal: 'Ehdotuksesi',
      gone: 'Paikkasi ei ole enää tällä laitteella.',
      heart: 'Sydän', me_too: 'Minä myös', clap: 'Aplodit', thanks: 'Kiitos',
      up: 'Ylös', right: 'Oikealle', down: 'Alas', left: 'Vasemmalle',
      orange: 'oranssi', sky: 'vaaleansininen', green: 'vihreä', yellow: 'keltainen',
      blue: 'sininen', vermilion: 'punainen', purple: 'vaaleanpunainen', grey: 'harmaa',
      sun: 'aurinko', moon: 'kuu', star: 'tähti', tree: 'puu', leaf: 'lehti', flower: 'kukka',
      bird: 'lintu', fish: 'kala', boat: 'vene', bicycle: 'polkupyörä', mountain: 'vuori',
      cup: 'kuppi', key: 'avain', note: 'nuotti', drop: 'pisara', house: 'talo',
      skipped: 'ohitettu', lastTime: 'Viime kerta', outOf10: '{n} kymmenestä',
      reactionsGot: 'Kannustukset sinulle',
    },
    'fi-x-selko': {
      leaderReadsFirst: 'Ohjaaja lukee ehdotuksen ensin. Muut näkevät sen vasta, kun ohjaaja hyväksyy sen.',
      connecting: 'Odota hetki…', reconnecting: 'Yhteys katkesi. Odota…',
      offline: 'Yhteys ei toimi nyt. Kokeile pian uudestaan.',
      pickName: 'Valitse nimi', nickname: 'Nimi',
      nicknameHint: 'Muut näkevät tämän nimen. Voit keksiä nimen.',
      needName: 'Kirjoita ensin nimi.', otherName: 'Nimeni ei ole tässä',
      choosePicture: 'Valitse kuva', join: 'Tule mukaan', joining: 'Odota hetki…',
      waitAdmit: 'Odota. Ohjaaja päästää sinut pian mukaan.',
      handOver: 'Anna laite toiselle',
      handOverAsk: 'Annatko laitteen toiselle? Sinä lähdet silloin pelistä.',
      handOverYes: 'Kyllä', readAloud: 'Kuuntele', agree: 'Kyllä, sopii',
      yourTurn: 'Nyt on sinun vuoro', moveUp: 'Ylös', moveDown: 'Alas',
      matchHelp: 'Valitse ensin yksi. Valitse sitten sen pari.',
      orderHelp: 'Siirrä nuolilla oikeaan järjestykseen.', tapPicture: 'Kosketa kuvaa.',
      charsLeft: 'Voit kirjoittaa vielä {n} merkkiä', clap: 'Taputan', bicycle: 'pyörä',
      yourAnswer: 'Kirjoita vastaus tähän', yourProposal: 'Kirjoita ehdotus tähän',
      seatLost: 'Tule peliin uudestaan.', gone: 'Et ole enää pelissä tällä laitteella.',
      skipped: 'et vastannut', reactionsGot: 'Muut kannustavat sinua',
    },
    sv: {
      room: 'Rum', language: 'Språk', connecting: 'Ansluter…', connected: 'Ansluten',
      reconnecting: 'Ansluter igen…',
      offline: 'Anslutningen är bruten en stund. Försök snart igen.',
      joinTitle: 'Var med', pickName: 'Välj ditt namn', otherName: 'Mitt namn finns inte här',
      nickname: 'Smeknamn', nicknameHint: 'Namnet som de andra ser. Du kan hitta på det själv.',
      needName: 'Skriv först ett namn.', choosePicture: 'Välj din bild', chooseColour: 'Färg',
      chooseIcon: 'Bild', taken: 'upptagen', join: 'Gå med', joining: 'Går med…',
      waitAdmit: 'Vi väntar på att ledaren släpper in dig.', wait: 'Vänta lite…',
      you: 'Du', handOver: 'Lämna över',
      handOverAsk: 'Ge enheten till nästa person? Din plats i spelet frigörs.',
      handOverYes: 'Ja, lämna över', cancel: 'Avbryt', close: 'Stäng',
      readAloud: 'Läs högt', send: 'Skicka', sent: 'Skickat', agree: 'Jag godkänner',
      notNow: 'Inte nu', pass: 'Hoppa över', ready: 'Jag är klar', roll: 'Kasta tärningen',
      yourTurn: 'Din tur', moveUp: 'Flytta upp', moveDown: 'Flytta ner',
      erase: 'Sudda', code: 'Kod', chooseFirst: 'Välj först.', writeFirst: 'Skriv ditt svar först.',
      leaderReadsFirst: 'Ledaren läser förslagen först. De andra ser ditt förslag först när ledaren har godkänt det.',
      matchHelp: 'Välj först en, sedan dess par.', pairedWith: 'par: {name}',
      orderHelp: 'Ordna med pilknapparna.', tapPicture: 'Tryck på bilden.',
      charsLeft: '{n} tecken kvar', chosen: 'vald', seatLost: 'Gå med i spelet igen.',
      yourAnswer: 'Ditt svar', yourProposal: 'Ditt förslag',
      gone: 'Din plats finns inte längre på den här enheten.',
      heart: 'Hjärta', me_too: 'Jag också', clap: 'Applåder', thanks: 'Tack',
      up: 'Upp', right: 'Höger', down: 'Ner', left: 'Vänster',
      orange: 'orange', sky: 'ljusblå', green: 'grön', yellow: 'gul', blue: 'blå',
      vermilion: 'röd', purple: 'rosa', grey: 'grå',
      sun: 'sol', moon: 'måne', star: 'stjärna', tree: 'träd', leaf: 'löv', flower: 'blomma',
      bird: 'fågel', fish: 'fisk', boat: 'båt', bicycle: 'cykel', mountain: 'berg', cup: 'kopp',
      key: 'nyckel', note: 'not', drop: 'droppe', house: 'hus',
      skipped: 'överhoppad', lastTime: 'Förra gången', outOf10: '{n} av 10',
      reactionsGot: 'Uppmuntran till dig',
    },
    en: {
      room: 'Room', language: 'Language', connecting: 'Connecting…', connected: 'Connected',
      reconnecting: 'Reconnecting…',
      offline: 'The connection is down for a moment. Please try again soon.',
      joinTitle: 'Join in', pickName: 'Choose your name', otherName: 'My name is not here',
      nickname: 'Nickname', nicknameHint: 'The name the others see. You can make one up.',
      needName: 'Please write a name first.', choosePicture: 'Choose your picture',
      chooseColour: 'Colour', chooseIcon: 'Picture', taken: 'taken', join: 'Join',
      joining: 'Joining…', waitAdmit: 'Waiting for the group leader to let you in.',
      wait: 'Just a moment…', you: 'You', handOver: 'Hand over',
      handOverAsk: 'Give the tablet to the next person? Your place in the game is released.',
      handOverYes: 'Yes, hand over', cancel: 'Cancel', close: 'Close',
      readAloud: 'Read aloud', send: 'Send', sent: 'Sent', agree: 'I agree',
      notNow: 'Not now', pass: 'Pass', ready: 'I am ready', roll: 'Roll the die',
      yourTurn: 'Your turn', moveUp: 'Move up', moveDown: 'Move down',
      erase: 'Delete', code: 'Code', chooseFirst: 'Please choose first.', writeFirst: 'Please write your answer first.',
      leaderReadsFirst: 'The leader reads proposals first. The others see your proposal only once the leader has accepted it.',
      matchHelp: 'Choose one, then its pair.', pairedWith: 'pair: {name}',
      orderHelp: 'Put them in order with the arrow buttons.', tapPicture: 'Tap on the picture.',
      charsLeft: '{n} characters left', chosen: 'chosen', seatLost: 'Please join the game again.',
      yourAnswer: 'Your answer', yourProposal: 'Your proposal',
      gone: 'Your place is no longer on this device.',
      heart: 'Heart', me_too: 'Me too', clap: 'Applause', thanks: 'Thanks',
      up: 'Up', right: 'Right', down: 'Down', left: 'Left',
      orange: 'orange', sky: 'sky blue', green: 'green', yellow: 'yellow', blue: 'blue',
      vermilion: 'red', purple: 'pink', grey: 'grey',
      sun: 'sun', moon: 'moon', star: 'star', tree: 'tree', leaf: 'leaf', flower: 'flower',
      bird: 'bird', fish: 'fish', boat: 'boat', bicycle: 'bicycle', mountain: 'mountain',
      cup: 'cup', key: 'key', note: 'music note', drop: 'drop', house: 'house',
      skipped: 'skipped', lastTime: 'Last time', outOf10: '{n} out of 10',
      reactionsGot: 'Encouragement for you',
    },
  };

  /** The client's own word `key` in the reader's language, with {placeholders} filled. */
  function t(key, params) {
    var chain = common.fallbackChain(S.lang);
    var s = key;
    for (var i = 0; i < chain.length; i++) {
      var table = STR[chain[i]];
      if (table && Object.prototype.hasOwnProperty.call(table, key)) { s = table[key]; break; }
    }
    return params ? s.replace(/\{(\w+)\}/g, function (m, k) { return k in params ? params[k] : m; }) : s;
  }

  // ---------------------------------------------------------------- pictures

  // Avatar icons and colours (engine/scene.py: AvatarIcon, AvatarColour). Icons are things,
  // never faces. The third colour field is the ink drawn on it, chosen for contrast.
  var AVATAR_ICONS = ['sun', 'moon', 'star', 'tree', 'leaf', 'flower', 'bird', 'fish', 'boat',
    'bicycle', 'mountain', 'cup', 'key', 'note', 'drop', 'house'];
  var COLOURS = common.COLOURS;
  var colourOf = common.colourOf;

  // 24×24 line drawings, stroked with the current colour (class f = filled).
  var C = common.circle;
  var P = common.path;
  var ICONS = Object.assign({}, common.AVATAR_ICONS, {
    people: C(12, 7.5, 3) + C(5, 9.5, 2.2) + C(19, 9.5, 2.2) + P('M6.5 20.5c0-3.6 2.5-6.3 5.5-6.3s5.5 2.7 5.5 6.3M1.5 18.5c0-2.6 1.5-4.6 3.5-4.6.8 0 1.5.3 2.1.8M22.5 18.5c0-2.6-1.5-4.6-3.5-4.6-.8 0-1.5.3-2.1.8'),
    me_too: C(8, 7, 3) + C(16.5, 7, 3) + P('M2.5 20.5c0-4 2.5-7 5.5-7s5.5 3 5.5 7M12 14.3c1-.6 2.6-.8 4.5-.8 3 0 5 3 5 7'),
    clap: P('M12 2.5v4M12 17.5v4M2.5 12h4M17.5 12h4M5.3 5.3l2.8 2.8M15.9 15.9l2.8 2.8M5.3 18.7l2.8-2.8M15.9 8.1l2.8-2.8'),
    thanks: P('M3.5 4.5h17v12h-9l-5 4v-4h-3z') + P('M12 13.5s-3-1.8-3-4a1.6 1.6 0 0 1 3-.8 1.6 1.6 0 0 1 3 .8c0 2.2-3 4-3 4z'),
    speaker: P('M3.5 9h4l5-4.5v15l-5-4.5h-4zM16 9a4 4 0 0 1 0 6M18.5 6a8 8 0 0 1 0 12'),
    up: P('M12 20V4M5 11l7-7 7 7'),
    down: P('M12 4v16M5 13l7 7 7-7'),
    left: P('M20 12H4M11 5l-7 7 7 7'),
    right: P('M4 12h16M13 5l7 7-7 7'),
    check: P('M4 12.5l5 5L20 6.5'),
    close: P('M6 6l12 12M18 6 6 18'),
    erase: P('M9 5h11.5v14H9l-6.5-7zM12 9l5 6M17 9l-5 6'),
    die: '<rect x="3.5" y="3.5" width="17" height="17" rx="3.5"/>' + C(8.5, 8.5, 1.6, 1) +
      C(12, 12, 1.6, 1) + C(15.5, 15.5, 1.6, 1),
    pass: P('M4 12h13M12 6l6 6-6 6M20.5 5v14'),
    handover: P('M4 8h15M15 4l4 4-4 4M20 16H5M9 12l-4 4 4 4'),
    // The feedback faces: drawn here rather than as emoji, whose look (or absence) depends on
    // each tablet's fonts. Each is shown with its word beside it.
    face_good: C(12, 12, 9.5) + C(8.8, 9.5, 1.3, 1) + C(15.2, 9.5, 1.3, 1) +
      P('M7.5 14c1.1 2 2.7 3 4.5 3s3.4-1 4.5-3'),
    face_okay: C(12, 12, 9.5) + C(8.8, 9.5, 1.3, 1) + C(15.2, 9.5, 1.3, 1) + P('M8 15.5h8'),
    face_hard: C(12, 12, 9.5) + C(8.8, 9.5, 1.3, 1) + C(15.2, 9.5, 1.3, 1) +
      P('M7.5 17c1.1-2 2.7-3 4.5-3s3.4 1 4.5 3'),
  });
  var FACES = ['face_good', 'face_okay', 'face_hard'];
  // Icons that point along the line of text turn round in right-to-left languages.
  var FLIPS = ['erase', 'pass'];

  function icon(name, cls) {
    if (!ICONS[name]) return null;
    var span = h('span', { class: 'ico' + (FLIPS.indexOf(name) >= 0 ? ' flip' : '') + (cls ? ' ' + cls : ''),
      'aria-hidden': 'true' });
    span.innerHTML = '<svg viewBox="0 0 24 24" focusable="false">' + ICONS[name] + '</svg>';
    return span;
  }

  function avatarTile(iconName, colourHex, cls) {
    var col = colourOf(colourHex) || COLOURS[7];
    var tile = h('span', { class: 'avatar' + (cls ? ' ' + cls : ''), 'aria-hidden': 'true' }, icon(iconName));
    tile.style.backgroundColor = col[1];
    tile.style.color = col[2];
    return tile;
  }
  function avatarName(iconName, colourHex) {
    var col = colourOf(colourHex);
    return t(iconName) + (col ? ', ' + t(col[0]) : '');
  }

  // ---------------------------------------------------------------- DOM helpers

  var h = common.h;
  var add = common.add;
  /** An element holding a LocalizedText, marked with its language when it is not the reader's. */
  function ltext(tag, text, attrs) { return common.ltext(tag, text, attrs, S.lang); }
  function btn(cls, attrs, kids) {
    return h('button', Object.assign({ type: 'button', class: 'btn ' + cls }, attrs), kids);
  }
  var uidN = 0;
  function uid(prefix) { uidN += 1; return prefix + uidN; }

  function announce(msg) {
    var live = $('live');
    live.textContent = '';
    setTimeout(function () { live.textContent = msg; }, 60);
  }

  var toastTimer = 0;
  function toast(msg) {
    var el = $('toast');
    el.textContent = '';
    add(el, [icon('check'), msg]);
    el.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(function () { el.hidden = true; }, 1500);
  }

  /** Keep keyboard focus on "the same" element when a part of the page is drawn again. */
  function focusedKey() {
    var a = document.activeElement;
    return a && a.getAttribute ? a.getAttribute('data-fk') : null;
  }
  function restoreFocus(key) {
    if (!key) return;
    var all = document.querySelectorAll('[data-fk]');
    for (var i = 0; i < all.length; i++) {
      if (all[i].getAttribute('data-fk') === key) {
        try { all[i].focus({ preventScroll: true }); } catch (e) { all[i].focus(); }
        return;
      }
    }
  }

  // ---------------------------------------------------------------- state

  var S = {
    lang: initialLang(),
    state: 'connecting', // connecting | join | seated | gone
    ws: null,
    connected: false, // hello answered with welcome
    everConnected: false,
    attempt: 0,
    retryTimer: 0,
    pingTimer: 0,
    lastHeard: 0,
    lastGoneAt: 0,
    lastWelcomeAt: 0,
    welcome: null,
    seat: null,
    me: null, // {nickname, avatar} of whoever joined from this page
    controls: null,
    controlsJson: '',
    lastSeq: -1,
    yourTurn: false,
    drafts: {}, // control key → what the participant has entered but not sent
    locks: {}, // control key → time until which its buttons ignore taps
    pending: {}, // move id → control key whose draft is dropped on ack (or '')
    redraw: {}, // control key → redraws just that control where it stands
    join: null,
    joining: false,
    joinTimer: 0,
    handingOver: false,
    notice: null, // {text: LocalizedText | string, kind}
  };

  function freshJoin() { return { nickname: '', icon: null, colour: null, typed: false, hint: false }; }
  S.join = freshJoin();

  var lastMoveId = Math.max(Math.floor(Date.now() / 1000), parseInt(store.get(MOVE_KEY), 10) || 0);
  function nextMoveId() {
    lastMoveId += 1;
    store.set(MOVE_KEY, String(lastMoveId));
    return lastMoveId;
  }

  function setState(state) {
    S.state = state;
    body.setAttribute('data-state', state);
    if (S.seat && state === 'seated') body.setAttribute('data-seat', S.seat);
    else body.removeAttribute('data-seat');
  }

  /** Forget everything about the person who sat here: token, answers, name. */
  function forgetSeat() {
    store.del(TOKEN_KEY);
    S.seat = null;
    S.me = null;
    S.controls = null;
    S.controlsJson = '';
    S.yourTurn = false;
    S.drafts = {};
    S.locks = {};
    S.pending = {};
    S.redraw = {};
    S.join = freshJoin();
    S.joining = false;
    body.removeAttribute('data-pending');
  }

  // ---------------------------------------------------------------- connection

  function wsUrl() { return common.wsUrl(WS_PATH); }

  function connect() {
    clearTimeout(S.retryTimer);
    var ws;
    try { ws = new WebSocket(wsUrl()); } catch (e) { scheduleReconnect(); return; }
    S.ws = ws;
    ws.onopen = function () {
      if (S.ws !== ws) return;
      S.lastHeard = Date.now();
      sendRaw({ t: 'hello', v: 1, role: 'seat', room: ROOM, token: store.get(TOKEN_KEY) || null,
        lang: S.lang });
    };
    ws.onmessage = function (ev) {
      if (S.ws !== ws) return;
      S.lastHeard = Date.now();
      var msg;
      try { msg = JSON.parse(ev.data); } catch (e) { return; }
      var handler = msg && HANDLERS[msg.t];
      if (handler) handler(msg);
    };
    ws.onclose = function () {
      if (S.ws !== ws) return;
      S.ws = null;
      lostConnection();
    };
    ws.onerror = function () { /* onclose follows */ };
  }

  function lostConnection() {
    S.connected = false;
    S.joining = false;
    clearTimeout(S.joinTimer);
    S.pending = {};
    body.removeAttribute('data-pending');
    renderPill();
    if (S.state === 'join' || S.state === 'gone') renderMain();
    scheduleReconnect();
  }

  /** Drop the socket without waiting for the network to say it is gone. */
  function dropSocket() {
    var ws = S.ws;
    S.ws = null;
    if (ws) {
      ws.onclose = ws.onmessage = ws.onopen = null;
      try { ws.close(); } catch (e) { /* already closed */ }
    }
  }

  /** 0.5 s doubling to 8 s; each wait is 75–100 % of that, so a roomful of tablets whose
   *  Wi-Fi came back at once does not knock on the server all at the same moment. */
  function scheduleReconnect() {
    clearTimeout(S.retryTimer);
    var wait = common.backoff(S.attempt);
    S.attempt += 1;
    S.retryTimer = setTimeout(connect, wait);
  }

  /** Start a clean connection now (after a seat is released: a fresh welcome, fresh avatars). */
  function reconnectNow() {
    dropSocket();
    S.connected = false;
    S.attempt = 0;
    renderPill();
    connect();
  }

  function sendRaw(obj) {
    if (!S.ws || S.ws.readyState !== 1) return false;
    S.ws.send(JSON.stringify(obj));
    return true;
  }

  function heartbeat() {
    if (S.ws && S.ws.readyState === 1) {
      if (Date.now() - S.lastHeard > SILENCE_MS) { dropSocket(); lostConnection(); return; }
      sendRaw({ t: 'ping' });
    }
  }

  /** Wake up at once when the network or the screen comes back, rather than at the backoff. */
  function wake() {
    if (S.ws && Date.now() - S.lastHeard > SILENCE_MS) { dropSocket(); }
    if (!S.ws) { S.attempt = 0; connect(); }
  }

  /** Send a move or a pass with a fresh id; `key` names the control whose draft ack clears. */
  function sendAction(msg, key) {
    if (!S.connected || S.ws == null) { showNotice(t('offline'), 'info'); return false; }
    msg.id = nextMoveId();
    if (!sendRaw(msg)) { showNotice(t('offline'), 'info'); return false; }
    S.pending[msg.id] = key || '';
    body.setAttribute('data-pending', '1');
    return true;
  }

  /** The move of control `c`: its fixed payload plus the participant's value under c.field. */
  function sendMove(ctx, value, extra, clearDraft) {
    var c = ctx.c;
    var payload = Object.assign({}, c.payload || {}, extra || {});
    if (value !== undefined) payload[c.field || 'value'] = value;
    return sendAction({ t: 'move', id: 0, name: c.move, payload: payload }, clearDraft ? ctx.key : '');
  }

  // ---------------------------------------------------------------- server messages

  var HANDLERS = {
    welcome: function (m) {
      S.welcome = m;
      S.lastWelcomeAt = Date.now();
      S.connected = true;
      S.everConnected = true;
      S.attempt = 0;
      S.lastSeq = -1;
      S.joining = false;
      if (m.seat) {
        S.seat = m.seat;
        // A reloaded page knows who sits here only from the server.
        if (m.nickname && m.avatar) S.me = { nickname: m.nickname, avatar: m.avatar };
        setState('seated');
      } else {
        var wasSeated = S.state === 'seated';
        if (store.get(TOKEN_KEY) || wasSeated) {
          // The stored seat was not accepted (released, or the table started anew).
          forgetSeat();
          if (wasSeated) showNotice(t('seatLost'), 'info');
        }
        if (S.state !== 'gone') setState('join');
      }
      renderAll();
    },

    seated: function (m) {
      clearTimeout(S.joinTimer);
      store.set(TOKEN_KEY, m.token);
      S.seat = m.seat;
      S.joining = false;
      S.join = freshJoin();
      if (S.notice && S.notice.kind !== 'error') S.notice = null;
      setState('seated');
      renderAll();
      focusMain();
    },

    controls: function (m) {
      if (S.state !== 'seated') return; // a late frame for a seat this page has let go
      if (typeof m.seq === 'number') {
        if (m.seq < S.lastSeq) return; // frames can overtake each other across reconnects
        S.lastSeq = m.seq;
      }
      var c = m.controls || {};
      if (c.seat && c.seat !== S.seat) { S.seat = c.seat; setState('seated'); }
      var wasTurn = S.yourTurn;
      var before = S.controls && S.controls.items ? S.controls.items[0] : null;
      S.yourTurn = !!c.your_turn;
      S.controls = c;
      var json = JSON.stringify(c);
      if (json !== S.controlsJson) {
        S.controlsJson = json;
        // A new screen for this seat (its first item changed while something is or was just
        // asked of it: the next question, its own new card, its summary) starts at the top,
        // unless the reader is writing. Others' turns moving on do not move the page.
        var first = c.items && c.items[0];
        var fresh = !before || !first || itemKey(before) !== itemKey(first);
        var typing = isTyping();
        renderMain();
        if (fresh && (S.yourTurn || wasTurn) && !typing) toTop();
      }
      if (S.yourTurn && !wasTurn) announce(t('yourTurn'));
    },

    ack: function (m) {
      var key = S.pending[m.id];
      delete S.pending[m.id];
      if (!Object.keys(S.pending).length) body.removeAttribute('data-pending');
      if (S.notice && S.notice.kind !== 'gone') hideNotice();
      toast(t('sent'));
      // A sent answer (a written text, a code) leaves its field empty for the next one.
      if (key && S.drafts[key]) {
        delete S.drafts[key];
        if (S.state === 'seated' && S.redraw[key]) S.redraw[key]();
      }
    },

    error: function (m) {
      if (m.id != null) delete S.pending[m.id];
      if (!Object.keys(S.pending).length) body.removeAttribute('data-pending');
      if (S.joining) { S.joining = false; clearTimeout(S.joinTimer); renderMain(); }
      showNotice(m.message || m.reason, 'error');
    },

    gone: function (m) {
      // Our own hand-over: the join screen is already up and a clean connection is on its way.
      if (S.handingOver && m.reason === 'handed_over') return;
      forgetSeat();
      showNotice(m.message || t('gone'), 'gone');
      setState('gone');
      renderAll();
      // The join screen wants a fresh welcome (who is taken now). A server may send one on this
      // connection, or close it (then the normal reconnect brings one); if neither happens
      // soon, start a clean connection ourselves.
      var goneAt = S.lastGoneAt = Date.now();
      setTimeout(function () {
        if (S.lastGoneAt === goneAt && S.lastWelcomeAt < goneAt && S.ws) reconnectNow();
      }, 1500);
    },

    pong: function () { /* lastHeard is enough */ },

    // The table went on at another room with the same seats (a follow-up activity): the token
    // this tablet holds is its seat there now. Open that room's page; it says hello with it.
    follow: function (m) {
      var room = String(m.room || '');
      if (!/^[A-Za-z0-9]{3,8}$/.test(room)) return;
      var token = store.get(TOKEN_KEY);
      if (token) store.set('piiri.seat.' + room, token);
      store.del(TOKEN_KEY);
      dropSocket();
      clearTimeout(S.retryTimer);
      window.location.replace(window.location.pathname.replace(/[^/]*$/, room) +
        window.location.search);
    },
  };

  // ---------------------------------------------------------------- notice banner

  function showNotice(text, kind) {
    S.notice = { text: text, kind: kind };
    renderNotice();
  }
  function hideNotice() {
    S.notice = null;
    renderNotice();
    if (S.state === 'gone') { setState('join'); renderChrome(); }
  }
  function renderNotice() {
    var el = $('notice');
    el.textContent = '';
    if (!S.notice) { el.hidden = true; return; }
    el.className = 'notice notice-' + S.notice.kind;
    add(el, [ltext('p', S.notice.text),
      btn('quiet close', { 'aria-label': t('close'), title: t('close'), onclick: hideNotice },
        icon('close'))]);
    el.hidden = false;
  }

  // ---------------------------------------------------------------- page chrome

  function renderAll() {
    renderChrome();
    renderNotice();
    renderMain();
  }

  function applyLang() {
    var root = document.documentElement;
    root.setAttribute('lang', htmlLang(S.lang));
    root.setAttribute('dir', isRtl(S.lang) ? 'rtl' : 'ltr');
  }

  function setLang(tag) {
    S.lang = tag;
    store.set(LANG_KEY, tag);
    applyLang();
    renderAll();
  }

  function renderPill() {
    var pill = $('pill');
    var state = S.connected ? 'open' : S.everConnected ? 'retry' : 'connecting';
    pill.setAttribute('data-conn', state);
    body.setAttribute('data-conn', state);
    $('pill-text').textContent = t(state === 'open' ? 'connected' : state === 'retry' ? 'reconnecting' : 'connecting');
  }

  function renderChrome() {
    renderPill();
    $('room-label').textContent = t('room');
    var title = $('title');
    title.textContent = '';
    if (S.welcome && S.welcome.title) add(title, ltext('span', S.welcome.title));

    var langs = $('langs');
    langs.setAttribute('aria-label', t('language'));
    langs.textContent = '';
    var choices = SWITCH.slice();
    if (!SWITCH.some(function (s) { return s[0] === S.lang; })) choices.push([S.lang, S.lang.toUpperCase(), S.lang]);
    choices.forEach(function (s) {
      // The visible short form first in the button's name (speech input users say what they
      // see), the language's own name after it for screen readers.
      add(langs, btn('lang', { lang: htmlLang(s[0]), 'aria-pressed': String(s[0] === S.lang),
        onclick: function () { setLang(s[0]); } }, [s[1], h('span', { class: 'sr-only' }, ' ' + s[2])]));
    });

    var foot = $('foot');
    foot.textContent = '';
    foot.hidden = S.state !== 'seated';
    if (S.state === 'seated') {
      if (S.me) {
        add(foot, h('span', { class: 'me' }, [avatarTile(S.me.avatar.icon, S.me.avatar.colour, 'small'),
          h('span', { class: 'sr-only' }, t('you') + ': '), S.me.nickname]));
      }
      add(foot, btn('secondary handover', { 'data-role': 'handover', onclick: askHandOver },
        [icon('handover'), t('handOver')]));
    }
  }

  function isTyping() {
    var a = document.activeElement;
    return !!a && (a.tagName === 'TEXTAREA' || (a.tagName === 'INPUT' && a.type === 'text')) &&
      !!a.value;
  }

  /** Back to the top of a new screen; the status line takes the focus (screen readers read it). */
  function toTop() {
    window.scrollTo(0, 0);
    var status = document.querySelector('main .status');
    if (status) {
      try { status.focus({ preventScroll: true }); } catch (e) { status.focus(); }
    }
  }

  function focusMain() {
    var target = document.querySelector('#main h1') || $('main');
    if (target.tabIndex < 0) target.setAttribute('tabindex', '-1');
    try { target.focus({ preventScroll: true }); } catch (e) { target.focus(); }
  }

  function renderMain() {
    var key = focusedKey();
    var main = $('main');
    var view;
    if (S.state === 'join' || S.state === 'gone') view = renderJoin();
    else if (S.state === 'seated') view = renderGame();
    else view = h('p', { class: 'wait' }, t('connecting'));
    main.textContent = '';
    main.appendChild(view);
    restoreFocus(key);
    refreshSpeakButtons();
  }

  // ---------------------------------------------------------------- hand over

  function askHandOver() {
    openDialog(t('handOverAsk'), t('handOverYes'), function () {
      S.handingOver = true;
      sendRaw({ t: 'handover' });
      forgetSeat();
      S.notice = null;
      setState('join');
      renderAll();
      focusMain();
      // Hand-over ends this person's connection; the next person gets a clean one.
      setTimeout(function () { S.handingOver = false; reconnectNow(); }, 300);
    });
  }

  function openDialog(question, yesLabel, onYes) {
    var overlay = $('dialog');
    var opener = document.activeElement;
    var close = function () {
      overlay.hidden = true;
      overlay.textContent = '';
      document.removeEventListener('keydown', onKey);
      if (opener && opener.isConnected && opener.focus) opener.focus();
    };
    var onKey = function (ev) { if (ev.key === 'Escape') close(); };
    var qid = uid('q');
    var cancel = btn('secondary', { 'data-role': 'cancel', onclick: close }, t('cancel'));
    overlay.textContent = '';
    add(overlay, h('div', { class: 'dialog', role: 'alertdialog', 'aria-modal': 'true', 'aria-labelledby': qid }, [
      h('p', { id: qid }, question),
      h('div', { class: 'row' }, [
        btn('primary', { 'data-role': 'confirm', onclick: function () { close(); onYes(); } }, yesLabel),
        cancel]),
    ]));
    overlay.hidden = false;
    document.addEventListener('keydown', onKey);
    cancel.focus();
  }

  // ---------------------------------------------------------------- join screen

  function isTaken(iconName, colourHex) {
    var taken = (S.welcome && S.welcome.avatars_taken) || [];
    return taken.some(function (a) {
      return a && a.icon === iconName && String(a.colour).toUpperCase() === String(colourHex).toUpperCase();
    });
  }

  /** Make sure a free avatar is chosen: a random one, so tablets joining at once differ. */
  function ensureAvatar() {
    var J = S.join;
    if (J.icon && J.colour && !isTaken(J.icon, J.colour)) return;
    var free = [];
    COLOURS.forEach(function (col) {
      AVATAR_ICONS.forEach(function (ic) { if (!isTaken(ic, col[1])) free.push([ic, col[1]]); });
    });
    var choice = free.length ? free[Math.floor(Math.random() * free.length)] : [AVATAR_ICONS[0], COLOURS[0][1]];
    J.icon = choice[0];
    J.colour = choice[1];
  }

  function renderJoin() {
    var w = S.welcome || {};
    var J = S.join;
    ensureAvatar();
    var roster = (w.roster || []).filter(Boolean);
    var view = h('section', { class: 'join', 'aria-labelledby': 'join-h' },
      h('h1', { id: 'join-h', tabindex: '-1' }, t('joinTitle')));

    if (S.joining && w.admit) {
      return add(view, h('p', { class: 'wait' }, t('waitAdmit')));
    }

    // 1. The name: the group's roster as big buttons, or a text field.
    var nameBox = h('div', { class: 'step' });
    if (roster.length && !J.typed) {
      add(nameBox, [h('h2', { id: 'name-h' }, t('pickName')),
        add(h('div', { class: 'roster', role: 'group', 'aria-labelledby': 'name-h' }),
          roster.map(function (name) {
            return btn('choice', { 'aria-pressed': String(J.nickname === name), 'data-fk': 'name:' + name,
              'data-role': 'name', onclick: function () { J.nickname = name; J.hint = false; renderMain(); } },
            [J.nickname === name ? icon('check') : null, name]);
          })),
        btn('quiet', { 'data-fk': 'typed', 'data-role': 'other-name', onclick: function () {
          J.typed = true; J.nickname = ''; renderMain(); restoreFocus('nick');
        } }, t('otherName'))]);
    } else {
      var input = h('input', { id: 'nick', type: 'text', maxlength: NICKNAME_MAX, autocomplete: 'off',
        autocapitalize: 'words', autocorrect: 'off', spellcheck: 'false', enterkeyhint: 'go', 'data-fk': 'nick',
        'aria-describedby': 'nick-hint', 'aria-invalid': J.hint ? 'true' : null,
        oninput: function (ev) {
          J.nickname = ev.target.value;
          var shown = document.querySelector('.who-name');
          if (shown) shown.textContent = J.nickname.trim() || '…';
        },
        onkeydown: function (ev) { if (ev.key === 'Enter') { ev.preventDefault(); submitJoin(); } } });
      input.value = J.nickname;
      add(nameBox, [h('label', { for: 'nick' }, h('h2', null, t('nickname'))), input,
        h('p', { id: 'nick-hint', class: J.hint ? 'hint warn' : 'hint' }, J.hint ? t('needName') : t('nicknameHint'))]);
    }

    // 2. The picture: a colour, then one of the sixteen icons in that colour.
    var colourRow = h('div', { class: 'colours', role: 'group', 'aria-label': t('chooseColour') },
      COLOURS.map(function (col) {
        var on = col[1] === J.colour;
        var b = btn('swatch', { 'aria-pressed': String(on), 'aria-label': t(col[0]), title: t(col[0]),
          'data-fk': 'colour:' + col[0], 'data-colour': col[1], onclick: function () {
            J.colour = col[1];
            if (isTaken(J.icon, J.colour)) {
              var free = AVATAR_ICONS.filter(function (ic) { return !isTaken(ic, J.colour); });
              if (free.length) J.icon = free[0];
            }
            renderMain();
          } }, on ? icon('check') : null);
        b.style.backgroundColor = col[1];
        b.style.color = col[2];
        return b;
      }));
    var iconGrid = h('div', { class: 'icons', role: 'group', 'aria-label': t('chooseIcon') },
      AVATAR_ICONS.map(function (ic) {
        var taken = isTaken(ic, J.colour);
        var on = ic === J.icon;
        return btn('pic' + (taken ? ' taken' : ''), { 'aria-pressed': String(on), disabled: taken,
          'aria-label': t(ic) + (taken ? ' (' + t('taken') + ')' : ''), 'data-fk': 'icon:' + ic,
          'data-icon': ic, onclick: function () { J.icon = ic; renderMain(); } },
        avatarTile(ic, J.colour));
      }));
    var pictureBox = h('div', { class: 'step' }, [h('h2', null, t('choosePicture')), colourRow, iconGrid]);

    // 3. Join: always in view at the bottom, with the name and picture it will use.
    var name = (J.nickname || '').trim();
    var bar = h('div', { class: 'joinbar' }, [
      h('span', { class: 'who' }, [avatarTile(J.icon, J.colour), h('span', { class: 'sr-only' }, avatarName(J.icon, J.colour) + '. '),
        h('span', { class: 'who-name' }, name || '…')]),
      btn('primary big', { 'data-role': 'join', 'data-fk': 'join', disabled: S.joining || !S.connected,
        onclick: submitJoin }, S.joining ? t('joining') : t('join')),
    ]);
    return add(view, [nameBox, pictureBox, bar]);
  }

  function submitJoin() {
    var J = S.join;
    var name = (J.nickname || '').trim().slice(0, NICKNAME_MAX);
    if (!name) {
      if (S.welcome && (S.welcome.roster || []).length && !J.typed) { showNotice(t('pickName'), 'info'); return; }
      J.hint = true;
      renderMain();
      restoreFocus('nick');
      return;
    }
    ensureAvatar();
    var avatar = { icon: J.icon, colour: J.colour };
    if (!sendRaw({ t: 'join', nickname: name, avatar: avatar })) { showNotice(t('offline'), 'info'); return; }
    S.me = { nickname: name, avatar: avatar };
    S.joining = true;
    if (S.notice && S.notice.kind === 'error') S.notice = null;
    renderNotice();
    clearTimeout(S.joinTimer);
    // Nothing heard back (and no leader admitting by hand): let the person try again.
    S.joinTimer = setTimeout(function () {
      if (S.joining && !(S.welcome && S.welcome.admit)) { S.joining = false; renderMain(); }
    }, JOIN_WAIT_MS);
    renderMain();
  }

  // ---------------------------------------------------------------- game screen

  function renderGame() {
    var c = S.controls;
    var view = h('section', { class: 'game' });
    if (!c) return add(view, h('p', { class: 'wait' }, t('wait')));
    var status = c.status ? pick(c.status) : (c.your_turn ? t('yourTurn') : '');
    if (status) {
      add(view, ltext('h1', c.status || t('yourTurn'), { class: 'status' + (c.your_turn ? ' turn' : ''), tabindex: '-1' }));
    }
    var keep = {};
    S.redraw = {};
    (c.items || []).forEach(function (item, i) {
      var el = renderItem(item, i);
      if (el) { keep[itemKey(item)] = 1; view.appendChild(el); }
    });
    // Drafts of controls no longer shown are dropped: nothing lingers for the next question.
    Object.keys(S.drafts).forEach(function (k) { if (!keep[k]) delete S.drafts[k]; });
    return view;
  }

  /** A control's identity across redraws: everything but the value the server echoes back. */
  function itemKey(c) {
    var copy = Object.assign({}, c);
    delete copy.value;
    delete copy.chosen;
    delete copy.done;
    return JSON.stringify(copy);
  }

  function renderItem(c, i) {
    var fn = RENDER[c.kind];
    if (!fn) return null; // a kind this client does not know yet: leave it out, pass still works
    var key = itemKey(c);
    var ctx = { c: c, i: i, key: key, draft: S.drafts[key] || (S.drafts[key] = {}), el: null };
    ctx.fk = function (part) { return i + ':' + part; };
    ctx.refresh = function () {
      var focus = focusedKey();
      var fresh = renderItem(c, i);
      if (ctx.el && ctx.el.parentNode) ctx.el.parentNode.replaceChild(fresh, ctx.el);
      restoreFocus(focus);
      refreshSpeakButtons();
    };
    var el = fn(c, ctx);
    el.setAttribute('data-kind', c.kind);
    ctx.el = el;
    S.redraw[key] = ctx.refresh;
    var left = (S.locks[key] || 0) - Date.now();
    if (left > 0) lockButtons(el, left);
    return el;
  }

  /** Run a tap on control ctx unless it was just tapped; its buttons rest for a moment. */
  function tap(ctx, fn) {
    return function (ev) {
      var now = Date.now();
      if ((S.locks[ctx.key] || 0) > now) return;
      S.locks[ctx.key] = now + TAP_LOCK_MS;
      var target = ev && ev.currentTarget;
      fn(ev);
      var el = ctx.el && ctx.el.isConnected ? ctx.el : null;
      if (el) lockButtons(el, TAP_LOCK_MS, target);
    };
  }

  function lockButtons(el, ms, refocus) {
    var buttons = el.tagName === 'BUTTON' ? [el] : Array.prototype.slice.call(el.querySelectorAll('button'));
    var locked = buttons.filter(function (b) { return !b.disabled && b.getAttribute('data-role') !== 'speak'; });
    locked.forEach(function (b) { b.disabled = true; });
    setTimeout(function () {
      locked.forEach(function (b) { b.disabled = false; });
      var a = document.activeElement;
      if (refocus && refocus.isConnected && (!a || a === document.body)) {
        try { refocus.focus({ preventScroll: true }); } catch (e) { refocus.focus(); }
      }
    }, ms);
  }

  // Small building blocks shared by the renderers.

  function box(cls, kids) { return h('div', { class: 'ctl ' + cls }, kids); }
  function heading(text, id) { return text ? ltext('h2', text, { class: 'label', id: id }) : null; }
  function labelOf(c, fallback) { return c.label ? pick(c.label) : fallback; }
  function optionIcon(o) {
    if (!o.icon || !ICONS[o.icon]) return null;
    var ic = icon(o.icon, FACES.indexOf(o.icon) >= 0 ? 'big' : null);
    if (o.colour) ic.style.color = o.colour;
    return ic;
  }
  /** An option's content picture (Option.image), with its words as alt; a picture that
   *  cannot be loaded leaves the option its words. */
  function optionImage(o) {
    if (!o.image || !IMAGE_SRC.test(String(o.image))) return null;
    var entry = o.image_alt ? pickEntry(o.image_alt) : ['', ''];
    var img = h('img', { class: 'optimg', src: CONTENT_PATH + o.image, alt: entry[1], width: 64, height: 64,
      decoding: 'async', draggable: 'false' });
    if (entry[0] && entry[0] !== 'und' && baseOf(entry[0]) !== baseOf(S.lang)) img.setAttribute('lang', htmlLang(entry[0]));
    img.addEventListener('error', function () { img.hidden = true; });
    return img;
  }
  function swatch(colour) {
    if (!colour) return null;
    var s = h('span', { class: 'dot-colour', 'aria-hidden': 'true' });
    s.style.backgroundColor = colour;
    return s;
  }
  /** A Send button that stays tappable but explains itself while the answer is incomplete. */
  function sendButton(ctx, ready, onSend, label) {
    return btn('primary send', { 'data-move': ctx.c.move, 'data-role': 'send', 'data-fk': ctx.fk('send'),
      'aria-disabled': ready ? null : 'true', onclick: tap(ctx, function () {
        if (ready) onSend(); else showNotice(t('chooseFirst'), 'info');
      }) }, [icon('check'), label || t('send')]);
  }
  /** A group of option buttons (choice, vote). */
  function optionButtons(ctx, options, isOn, onTap, sends) {
    var hid = uid('h');
    var group = h('div', { class: 'options', role: 'group', 'aria-labelledby': ctx.c.label ? hid : null },
      options.map(function (o) {
        var on = isOn(o.value);
        return btn('choice', { 'aria-pressed': String(on), 'data-value': o.value, 'data-move': sends ? ctx.c.move : null,
          'data-fk': ctx.fk('opt:' + o.value), onclick: tap(ctx, function () { onTap(o.value); }) },
        [swatch(o.colour), optionImage(o) || optionIcon(o), ltext('span', o.label), on ? icon('check', 'tick') : null]);
      }));
    return [heading(ctx.c.label, hid), group];
  }

  // ---------------------------------------------------------------- speech

  function speechLang(tag) { return SPEECH_LANG[tag] || tag; }
  function voiceFor(tag) {
    var syn = window.speechSynthesis;
    if (!syn || !window.SpeechSynthesisUtterance) return null;
    var want = speechLang(tag).toLowerCase();
    var voices = syn.getVoices() || [];
    var norm = function (v) { return String(v.lang || '').replace('_', '-').toLowerCase(); };
    var exact = voices.filter(function (v) { return norm(v) === want; })[0];
    return exact || voices.filter(function (v) { return norm(v).split('-')[0] === baseOf(want); })[0] || null;
  }
  /** The language a text will be spoken in: the translation actually shown, not the wish. */
  function speechTag(text) {
    var tag = pickEntry(text)[0];
    return !tag || tag === 'und' ? S.lang : tag;
  }
  function speak(words, tag) {
    var syn = window.speechSynthesis;
    if (!syn) return;
    syn.cancel();
    var u = new window.SpeechSynthesisUtterance(words);
    u.lang = speechLang(tag);
    var voice = voiceFor(tag);
    if (voice) u.voice = voice;
    u.rate = 0.9; // a little slower for people learning the language
    syn.speak(u);
  }
  /** A Read aloud button for a title and a text; hidden while no voice speaks that language. */
  function speakButton(title, text) {
    var tag = speechTag(text);
    return btn('quiet speak', { 'data-role': 'speak', 'data-speak-lang': tag, hidden: !voiceFor(tag),
      onclick: function () {
        var words = title ? pick(title).replace(/[.!?:]?$/, '. ') + pick(text) : pick(text);
        speak(words, tag);
      } }, [icon('speaker'), t('readAloud')]);
  }
  function refreshSpeakButtons() {
    var buttons = document.querySelectorAll('[data-role="speak"]');
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = !voiceFor(buttons[i].getAttribute('data-speak-lang'));
    }
  }

  // ---------------------------------------------------------------- control renderers

  var CODE_SYMBOLS = {
    digits: ['1', '2', '3', '4', '5', '6', '7', '8', '9', '0'],
    letters: 'ABCDEFGHIJKLMNOPQRSTUVWXYZÅÄÖ'.split(''),
    colours: COLOURS.map(function (c) { return c[0]; }),
    directions: ['up', 'right', 'down', 'left'],
  };
  var REACTIONS = ['heart', 'me_too', 'clap', 'thanks'];

  /** A 0–10 score as written for the reader: at most one decimal, a decimal comma in fi and sv. */
  function score(v) {
    var s = String(Math.round(v * 10) / 10);
    return baseOf(S.lang) === 'fi' || baseOf(S.lang) === 'sv' ? s.replace('.', ',') : s;
  }
  /** Invisible copies of `words`, zero high: a grid column as wide as the widest of them, so the
   *  bars of every row start and end at the same place whatever each row's own words are. */
  function ghost(words) {
    return h('span', { class: 'ghost', 'aria-hidden': 'true' }, words.map(function (w) { return h('span', null, w); }));
  }

  /** How one symbol of a code looks on its key and in its slot. */
  function codeSymbol(alphabet, sym) {
    if (alphabet === 'colours') {
      var col = colourOf(sym);
      var chip = h('span', { class: 'code-colour', 'aria-hidden': 'true' });
      if (col) { chip.style.backgroundColor = col[1]; chip.style.color = col[2]; }
      return chip;
    }
    if (alphabet === 'directions') return icon(sym);
    return h('span', { 'aria-hidden': 'true' }, sym);
  }
  function symbolName(alphabet, sym) {
    return alphabet === 'colours' || alphabet === 'directions' ? t(sym) : sym;
  }

  var RENDER = {
    text: function (c) {
      var el = h('div', { class: 'ctl text style-' + (c.style || 'body') }, [
        icon(c.icon, 'text-icon'),
        c.title ? ltext('h2', c.title, { class: 'text-title' }) : null,
        ltext(c.style === 'title' && !c.title ? 'h2' : 'p', c.text, { class: 'text-body' }),
        c.qr_image ? h('img', { class: 'text-qr', src: c.qr_image, alt: c.qr_alt ? pick(c.qr_alt) : '' }) : null,
        c.read_aloud === false ? null : speakButton(c.title, c.text),
      ]);
      if (c.colour) el.style.borderColor = c.colour;
      return el;
    },

    button: function (c, ctx) {
      // A step that cannot be undone (deleting one's answers) is asked about first.
      var send = c.confirm
        ? function () { openDialog(pick(c.confirm), labelOf(c, t('send')), function () { sendMove(ctx); }); }
        : function () { sendMove(ctx); };
      return btn((c.tone === 'secondary' ? 'secondary' : 'primary') + ' wide', { 'data-move': c.move,
        'data-fk': ctx.fk('b'), onclick: tap(ctx, send) },
      [icon(c.icon), labelOf(c, t('send'))]);
    },

    choice: function (c, ctx) {
      var d = ctx.draft;
      if (!c.multiple) {
        return box('choice', optionButtons(ctx, c.options || [], function (v) { return d.sel === v; },
          function (v) { d.sel = v; sendMove(ctx, v); ctx.refresh(); }, true));
      }
      d.many = d.many || [];
      return box('choice', optionButtons(ctx, c.options || [],
        function (v) { return d.many.indexOf(v) >= 0; },
        function (v) {
          var at = d.many.indexOf(v);
          if (at >= 0) d.many.splice(at, 1); else d.many.push(v);
          S.locks[ctx.key] = 0; // toggling is not sending: no pause needed
          ctx.refresh();
        }, false).concat(sendButton(ctx, d.many.length > 0, function () {
        // Send in the order the options are listed, whatever order they were tapped in.
        sendMove(ctx, (c.options || []).map(function (o) { return o.value; })
          .filter(function (v) { return d.many.indexOf(v) >= 0; }));
      })));
    },

    vote: function (c, ctx) {
      var d = ctx.draft;
      var chosen = d.sel !== undefined ? d.sel : c.chosen;
      return box('choice vote', optionButtons(ctx, c.options || [], function (v) { return chosen === v; },
        function (v) { d.sel = v; sendMove(ctx, v); ctx.refresh(); }, true));
    },

    die: function (c, ctx) {
      return btn('primary wide die', { 'data-move': c.move, 'data-fk': ctx.fk('die'),
        onclick: tap(ctx, function () { sendMove(ctx); }) }, [icon('die', 'big'), labelOf(c, t('roll'))]);
    },

    code: function (c, ctx) {
      var d = ctx.draft;
      var alphabet = c.alphabet || 'digits';
      var symbols = CODE_SYMBOLS[alphabet] || CODE_SYMBOLS.digits;
      var length = c.length || 4;
      d.syms = d.syms || [];
      var hid = uid('h');
      var slots = [];
      for (var i = 0; i < length; i++) {
        slots.push(h('span', { class: 'slot' + (d.syms[i] ? ' full' : '') },
          d.syms[i] ? codeSymbol(alphabet, d.syms[i]) : null));
      }
      var spoken = d.syms.map(function (s) { return symbolName(alphabet, s); }).join(', ');
      var keys = symbols.map(function (sym) {
        return btn('key', { 'data-value': sym, 'data-fk': ctx.fk('k:' + sym), 'aria-label': symbolName(alphabet, sym),
          onclick: function () { if (d.syms.length < length) { d.syms.push(sym); ctx.refresh(); } } },
        // A colour key says its name too: colour is never the only clue.
        [codeSymbol(alphabet, sym), alphabet === 'colours' ? h('span', { 'aria-hidden': 'true' }, t(sym)) : null]);
      });
      keys.push(btn('key erase', { 'data-role': 'erase', 'data-fk': ctx.fk('erase'), 'aria-label': t('erase'),
        onclick: function () { d.syms.pop(); ctx.refresh(); } }, icon('erase')));
      var full = d.syms.length === length;
      return box('code code-' + alphabet, [
        heading(c.label || null, hid) || h('h2', { class: 'label', id: hid }, t('code')),
        h('div', { class: 'slots', role: 'img', 'aria-label': t('code') + ': ' + (spoken || '–') + ' (' + d.syms.length + '/' + length + ')' }, slots),
        h('div', { class: 'keys', role: 'group', 'aria-labelledby': hid }, keys),
        sendButton(ctx, full, function () {
          // Digits and letters travel as one string ("0451"); colours and directions as a list.
          var value = alphabet === 'digits' || alphabet === 'letters' ? d.syms.join('') : d.syms.slice();
          sendMove(ctx, value, null, true);
        }),
      ]);
    },

    slider: function (c, ctx) {
      var d = ctx.draft;
      var min = c.minimum != null ? c.minimum : 0;
      var max = c.maximum != null ? c.maximum : 10;
      if (d.v === undefined && c.value != null) d.v = c.value;
      var id = uid('r');
      var has = d.v !== undefined;
      var out = h('output', { class: 'big-value', for: id, 'aria-hidden': 'true' }, has ? String(d.v) : '?');
      var low = pick(c.low_label);
      var high = pick(c.high_label);
      var valueText = function (v) { return v + (v === min ? ' – ' + low : v === max ? ' – ' + high : ''); };
      var range = h('input', { id: id, type: 'range', min: min, max: max, step: 1, 'data-fk': ctx.fk('range'),
        'aria-valuetext': has ? valueText(d.v) : null, class: has ? '' : 'unset' });
      range.value = has ? d.v : Math.round((min + max) / 2);
      var set = function (v) {
        d.v = Math.max(min, Math.min(max, v));
        ctx.refresh();
      };
      range.addEventListener('input', function () {
        d.v = parseInt(range.value, 10);
        out.textContent = String(d.v);
        range.className = '';
        range.setAttribute('aria-valuetext', valueText(d.v));
        sendEl.removeAttribute('aria-disabled');
      });
      range.addEventListener('change', function () { ctx.refresh(); });
      // A tap on the point the unset thumb rests on changes nothing, so no input event comes:
      // take the value the tap (or Enter or Space) landed on, so every point is one tap away.
      var commit = function () {
        if (d.v !== undefined) return;
        d.v = parseInt(range.value, 10);
        ctx.refresh();
      };
      range.addEventListener('click', commit);
      range.addEventListener('pointerup', commit);
      range.addEventListener('keydown', function (ev) {
        if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); commit(); }
      });
      var sendEl = sendButton(ctx, true, function () {
        if (d.v === undefined) { showNotice(t('chooseFirst'), 'info'); return; }
        sendMove(ctx, d.v);
      });
      if (!has) sendEl.setAttribute('aria-disabled', 'true');
      return box('slider', [
        c.label ? ltext('label', c.label, { class: 'label', for: id }) : null,
        out,
        h('div', { class: 'range-row' }, [
          btn('secondary step', { 'aria-label': '−1', 'data-fk': ctx.fk('minus'),
            onclick: function () { set((has ? d.v : Math.round((min + max) / 2)) - 1); } }, '−'),
          range,
          btn('secondary step', { 'aria-label': '+1', 'data-fk': ctx.fk('plus'),
            onclick: function () { set((has ? d.v : Math.round((min + max) / 2)) + 1); } }, '+'),
        ]),
        h('div', { class: 'ends', 'aria-hidden': 'true' }, [
          h('span', null, min + ' ' + low), h('span', null, max + ' ' + high)]),
        sendEl,
      ]);
    },

    scale5: function (c, ctx) {
      var d = ctx.draft;
      var chosen = d.v !== undefined ? d.v : c.value;
      var hid = uid('h');
      return box('scale5', [heading(c.label, hid),
        h('div', { class: 'steps', role: 'group', 'aria-labelledby': c.label ? hid : null },
          (c.steps || []).map(function (step, i) {
            var value = i + 1; // steps are sent as 1..5
            var on = chosen === value;
            return btn('choice', { 'aria-pressed': String(on), 'data-move': c.move, 'data-value': value,
              'data-fk': ctx.fk('s' + value), onclick: tap(ctx, function () { d.v = value; sendMove(ctx, value); ctx.refresh(); }) },
            [h('span', { class: 'num', 'aria-hidden': 'true' }, String(value)), ltext('span', step), on ? icon('check', 'tick') : null]);
          })),
      ]);
    },

    // `unlabelled`: the client's own word for a field the activity gave no label (a field
    // without a visible label is one nobody can tell the purpose of).
    free_text: function (c, ctx, unlabelled) {
      var d = ctx.draft;
      var max = c.max_length || 140;
      var id = uid('f');
      var cid = uid('c');
      d.text = d.text || '';
      var left = function () { return t('charsLeft', { n: max - d.text.length }); };
      var counter = h('p', { class: 'hint', id: cid }, left());
      var send = sendButton(ctx, true, function () {
        var text = d.text.trim();
        if (!text) { showNotice(t('writeFirst'), 'info'); return; }
        sendMove(ctx, text, null, true);
      });
      // Shown as not ready until something is written, like the other Send buttons.
      var sync = function () {
        if (d.text.trim()) send.removeAttribute('aria-disabled');
        else send.setAttribute('aria-disabled', 'true');
      };
      var area = h('textarea', { id: id, maxlength: max, rows: 3, 'data-fk': ctx.fk('text'),
        'aria-describedby': cid, placeholder: c.placeholder ? pick(c.placeholder) : null,
        oninput: function () { d.text = area.value; counter.textContent = left(); sync(); } });
      area.value = d.text;
      sync();
      return box('free-text', [
        c.label ? ltext('label', c.label, { class: 'label', for: id })
          : h('label', { class: 'label', for: id }, t(unlabelled || 'yourAnswer')),
        area, counter, send,
      ]);
    },

    // A proposal for the group: written like a free-text answer, with a line saying that the
    // leader reads it before anyone else sees it.
    proposal: function (c, ctx) {
      var node = RENDER.free_text(c, ctx, 'yourProposal');
      node.classList.add('proposal');
      node.appendChild(c.note ? ltext('p', c.note, { class: 'hint' }) : h('p', { class: 'hint' }, t('leaderReadsFirst')));
      return node;
    },

    reactions: function (c, ctx) {
      var hid = uid('h');
      return box('reactions', [heading(c.label, hid),
        h('div', { class: 'react-row', role: 'group', 'aria-labelledby': c.label ? hid : null },
          (c.reactions || REACTIONS).map(function (r) {
            return btn('react', { 'data-move': c.move, 'data-value': r, 'data-fk': ctx.fk('r:' + r),
              onclick: tap(ctx, function (ev) {
                sendMove(ctx, r);
                var b = ev.currentTarget;
                b.classList.remove('pop');
                void b.offsetWidth; // restart the little animation
                b.classList.add('pop');
              }) }, [icon(r, 'big'), h('span', null, t(r))]);
          })),
      ]);
    },

    // What the speaker has received this turn: an icon, a count and a word per reaction, never
    // who sent them.
    reaction_tally: function (c) {
      var hid = uid('h');
      return box('reaction-tally', [
        heading(c.label, hid) || h('h2', { class: 'label', id: hid }, t('reactionsGot')),
        h('ul', { class: 'tally-row', 'aria-labelledby': hid }, (c.counts || []).map(function (r) {
          return h('li', { 'data-value': r.reaction }, [icon(r.reaction, 'big'),
            h('b', { class: 'tally-n' }, String(r.count)), h('span', null, t(r.reaction))]);
        })),
      ]);
    },

    order: function (c, ctx) {
      var d = ctx.draft;
      var items = c.items || [];
      var values = items.map(function (o) { return o.value; });
      if (!d.order || d.order.length !== values.length) d.order = values.slice();
      var byValue = {};
      items.forEach(function (o) { byValue[o.value] = o; });
      var move = function (at, by) {
        var to = at + by;
        if (to < 0 || to >= d.order.length) return;
        var v = d.order.splice(at, 1)[0];
        d.order.splice(to, 0, v);
        ctx.refresh();
        announce((to + 1) + '. ' + pick(byValue[v].label));
      };
      var hid = uid('h');
      return box('order', [
        heading(c.label, hid),
        h('p', { class: 'hint' }, t('orderHelp')),
        h('ol', { class: 'order-list', 'aria-labelledby': c.label ? hid : null }, d.order.map(function (v, at) {
          var o = byValue[v];
          var name = pick(o.label);
          return h('li', { 'data-value': v }, [
            h('span', { class: 'num', 'aria-hidden': 'true' }, String(at + 1)),
            optionIcon(o), ltext('span', o.label, { class: 'grow' }),
            btn('secondary arrow', { 'aria-label': t('moveUp') + ': ' + name, 'data-role': 'up',
              'data-fk': ctx.fk('up:' + v), 'aria-disabled': at === 0 ? 'true' : null,
              onclick: function () { move(at, -1); } }, icon('up')),
            btn('secondary arrow', { 'aria-label': t('moveDown') + ': ' + name, 'data-role': 'down',
              'data-fk': ctx.fk('down:' + v), 'aria-disabled': at === d.order.length - 1 ? 'true' : null,
              onclick: function () { move(at, 1); } }, icon('down')),
          ]);
        })),
        sendButton(ctx, true, function () { sendMove(ctx, d.order.slice()); }),
      ]);
    },

    match: function (c, ctx) {
      var d = ctx.draft;
      var left = c.left || [];
      var right = c.right || [];
      d.pairs = d.pairs || {}; // left value → right value
      var pairNo = {}; // value on either side → pair number shown on both
      var leftOf = {};
      left.forEach(function (o, i) {
        var r = d.pairs[o.value];
        if (r !== undefined) { pairNo['L' + o.value] = i + 1; pairNo['R' + r] = i + 1; leftOf[r] = o.value; }
      });
      var optionLabel = function (list, v) {
        var o = list.filter(function (x) { return x.value === v; })[0];
        return o ? pick(o.label) : v;
      };
      var cell = function (side, o) {
        var no = pairNo[side + o.value];
        var selected = side === 'L' && d.sel === o.value;
        var partner = side === 'L' ? d.pairs[o.value] : leftOf[o.value];
        var name = pick(o.label) + (partner !== undefined ? ', ' + t('pairedWith', {
          name: optionLabel(side === 'L' ? right : left, partner) }) : '');
        var b = btn('choice pair' + (no ? ' paired p' + ((no - 1) % 8) : '') + (selected ? ' selected' : ''), {
          'aria-pressed': String(selected || !!no), 'aria-label': name, 'data-value': o.value, 'data-side': side,
          'data-fk': ctx.fk(side + ':' + o.value),
          onclick: function () {
            if (side === 'L') {
              d.sel = d.sel === o.value ? null : o.value;
            } else if (d.sel != null) {
              var old = leftOf[o.value];
              if (old !== undefined) delete d.pairs[old];
              if (d.pairs[d.sel] === o.value) delete d.pairs[d.sel]; else d.pairs[d.sel] = o.value;
              d.sel = null;
            } else if (leftOf[o.value] !== undefined) {
              delete d.pairs[leftOf[o.value]]; // tapping a paired right item undoes the pair
            } else {
              showNotice(t('matchHelp'), 'info');
            }
            ctx.refresh();
          } }, [no ? h('span', { class: 'num', 'aria-hidden': 'true' }, String(no)) : null, optionIcon(o),
          ltext('span', o.label)]);
        return b;
      };
      var need = Math.min(left.length, right.length);
      return box('match', [
        heading(c.label),
        h('p', { class: 'hint' }, t('matchHelp')),
        h('div', { class: 'match-cols' }, [
          add(h('div', { class: 'col', role: 'group' }), left.map(function (o) { return cell('L', o); })),
          add(h('div', { class: 'col', role: 'group' }), right.map(function (o) { return cell('R', o); })),
        ]),
        sendButton(ctx, Object.keys(d.pairs).length >= need && need > 0, function () {
          sendMove(ctx, Object.assign({}, d.pairs));
        }),
      ]);
    },

    point: function (c, ctx) {
      var d = ctx.draft;
      var alt = pick(c.alt);
      var marker = h('span', { class: 'marker', 'aria-hidden': 'true', hidden: !d.p });
      var img = h('img', { src: c.image, alt: alt, draggable: 'false' });
      var place = function () {
        if (!d.p) return;
        marker.hidden = false;
        marker.style.left = (d.p.x * 100) + '%'; // physical: the picture does not mirror
        marker.style.top = (d.p.y * 100) + '%';
        sendEl.removeAttribute('aria-disabled');
      };
      var round = function (v) { return Math.round(Math.max(0, Math.min(1, v)) * 10000) / 10000; };
      var frame = h('div', { class: 'picture', tabindex: '0', role: 'application', 'data-fk': ctx.fk('pic'),
        'aria-label': alt + '. ' + t('tapPicture'),
        onclick: function (ev) {
          var r = img.getBoundingClientRect();
          if (!r.width || !r.height) return;
          d.p = { x: round((ev.clientX - r.left) / r.width), y: round((ev.clientY - r.top) / r.height) };
          place();
        },
        onkeydown: function (ev) {
          var step = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[ev.key];
          if (!step) return;
          ev.preventDefault();
          var p = d.p || { x: 0.5, y: 0.5 };
          d.p = { x: round(p.x + step[0] * 0.05), y: round(p.y + step[1] * 0.05) };
          place();
        } }, [img, marker]);
      var sendEl = sendButton(ctx, true, function () {
        if (!d.p) { showNotice(t('tapPicture'), 'info'); return; }
        sendMove(ctx, { x: d.p.x, y: d.p.y });
      });
      if (!d.p) sendEl.setAttribute('aria-disabled', 'true');
      var el = box('point', [heading(c.label), h('p', { class: 'hint' }, t('tapPicture')), frame, sendEl]);
      place();
      return el;
    },

    consent: function (c, ctx) {
      var d = ctx.draft;
      var answer = function (yes) {
        return tap(ctx, function () { d.v = yes; sendMove(ctx, yes, { text_id: c.text_id }); ctx.refresh(); });
      };
      return box('consent', [
        heading(c.label),
        ltext('p', c.text, { class: 'text-body' }),
        speakButton(c.label, c.text),
        h('div', { class: 'row' }, [
          btn('primary', { 'data-move': c.move, 'data-value': 'true', 'aria-pressed': String(d.v === true),
            'data-fk': ctx.fk('yes'), onclick: answer(true) }, [d.v === true ? icon('check') : null, t('agree')]),
          btn('secondary', { 'data-move': c.move, 'data-value': 'false', 'aria-pressed': String(d.v === false),
            'data-fk': ctx.fk('no'), onclick: answer(false) }, [d.v === false ? icon('check') : null, t('notNow')]),
        ]),
      ]);
    },

    // One participant's own check-in summary: per domain a bar for now and, from the second
    // check-in on, an outlined and hatched bar for last time. Every bar has its words and its
    // number beside it; a screen reader hears one sentence per domain instead of the drawing.
    bars: function (c) {
      var rows = c.bars || [];
      var anyBefore = rows.some(function (b) { return b.before != null; });
      var nowText = c.now_label;
      var beforeText = c.before_label || t('lastTime');
      var names = anyBefore ? [pick(nowText), pick(beforeText)] : [pick(nowText)];
      var said = function (text, v) {
        return pick(text) + ' ' + (v == null ? t('skipped') : t('outOf10', { n: score(v) }));
      };
      var line = function (which, text, v) {
        var cls = ' l-' + which;
        var lab = add(ltext('span', text, { class: 'bar-lab' + cls }), ghost(names));
        if (v == null) return [lab, h('span', { class: 'bar-skip' + cls }, t('skipped'))];
        var fill = v > 0 ? h('span', { class: 'bar-fill ' + which }) : null;
        if (fill) fill.style.width = (v * 10) + '%';
        var num = function (n) { return [h('b', null, score(n)), '\u00a0/\u00a010']; };
        return [lab,
          h('span', { class: 'bar-num' + cls }, [h('span', { dir: 'ltr' }, num(v)), ghost([num(10), num(8.8)])]),
          h('span', { class: 'bar-track' + cls }, fill)];
      };
      var spoken = [];
      var items = rows.map(function (b) {
        var sentence = pick(b.label) + ': ' + said(nowText, b.now) +
          (b.before != null ? ', ' + said(beforeText, b.before) : '');
        spoken.push(sentence + '.');
        return h('li', { class: 'bar-row' }, [
          h('span', { class: 'sr-only' }, sentence),
          h('div', { class: 'bar-vis', 'aria-hidden': 'true' }, [
            h('span', { class: 'bar-head' }, [icon(b.icon), ltext('span', b.label)])]
            .concat(line('now', nowText, b.now), b.before != null ? line('before', beforeText, b.before) : [])),
        ]);
      });
      var key = function (which, text) {
        return h('span', { class: 'key' }, [h('span', { class: 'bar-fill ' + which }), ltext('span', text)]);
      };
      var hid = uid('h');
      return box('bars', [
        heading(c.title, hid),
        h('p', { class: 'bar-legend', 'aria-hidden': 'true' },
          [key('now', nowText), anyBefore ? key('before', beforeText) : null]),
        speakButton(c.title, spoken.join(' ')),
        h('ul', { class: 'bar-list', 'aria-labelledby': c.title ? hid : null }, items),
      ]);
    },

    pass: function (c, ctx) {
      return btn('secondary wide pass', { 'data-fk': ctx.fk('pass'),
        onclick: tap(ctx, function () { sendAction({ t: 'pass', id: 0 }, ''); }) },
      [icon('pass'), c.label ? pick(c.label) : t('pass')]);
    },

    ready: function (c, ctx) {
      return btn((c.done ? 'secondary' : 'primary') + ' wide ready', { 'data-move': c.move,
        'aria-pressed': String(!!c.done), 'data-fk': ctx.fk('ready'),
        onclick: tap(ctx, function () { sendMove(ctx, !c.done); }) },
      [c.done ? icon('check') : null, labelOf(c, t('ready'))]);
    },
  };

  // ---------------------------------------------------------------- start

  applyLang();
  setState('connecting');
  renderAll();
  if (window.speechSynthesis && window.speechSynthesis.addEventListener) {
    window.speechSynthesis.addEventListener('voiceschanged', refreshSpeakButtons);
  }
  window.addEventListener('online', wake);
  document.addEventListener('visibilitychange', function () { if (!document.hidden) wake(); });
  S.pingTimer = setInterval(heartbeat, PING_MS);
  connect();
})();
