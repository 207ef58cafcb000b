/* Piiri browser screen.
 *
 * The shared screen for rooms with a smart TV or without pygame: the same Scene as the pygame
 * screen (engine/screen/render.py), drawn in HTML, CSS and SVG. One small vanilla-JS file
 * (ES2017, no build step, no framework). It speaks wire protocol v1 (engine/protocol.py): it
 * says {"t": "hello", "v": 1, "role": "screen", "room": CODE} and then draws every
 * {"t": "scene", "seq": N, "scene": {...}} it receives. It draws only what the scene holds, so
 * nothing private can show up; an element kind it does not know is skipped.
 *
 * Everything is laid out on a 1920×1080 stage in design pixels (the sizes of
 * engine/screen/theme.py) and the stage is scaled to the window with black bars.
 *
 * The page (facilitator/templates/screen.html) gives the room, the WebSocket path, the
 * language and the QR picture's and join page's addresses as data attributes on <body>. For
 * tests the page exposes, on <body>:
 *   data-conn    connecting | open | retry
 *   data-layout  the scene's layout (lobby, board, card, story, room, closing)
 *   data-seq     the seq of the scene on show
 *   data-error   no_room while the server does not know the room
 * and every drawn element carries data-kind (board, card, text, roster, timer, progress, join,
 * die, tally, story, locks, image, reactions, timeline; the pause overlay is data-kind="pause").
 *
 * The speaker's reactions (kind "reactions") are a picture on a paper disc in the tablet's
 * colour and a big count per reaction, never who sent them, in the side column over the roster
 * (under the card when the roster would not keep its room there); a count that grows pops
 * gently, unless the viewer asked for less motion.
 *
 * The page has a Content-Security-Policy without 'unsafe-inline' styles: nothing here writes a
 * style="…" attribute (in markup or with setAttribute); SVG gets presentation attributes and
 * classes, and sizes are set through element.style, which the policy allows.
 *
 * A content picture (kind "image") is an <img> of /content/<src> on the same server (the path
 * beside the WebSocket's), with its words as alt; a picture that cannot be loaded is shown by
 * those words instead. It keeps its shape and is never drawn more than twice its own size.
 *
 * No text is cut and none is smaller than its role's floor (engine/screen/theme.py: titles 44,
 * text 40, notes 36, labels 32 design px). A text shrinks towards its floor; what still does
 * not fit is shown a page of whole lines at a time, with a marker ("1/3", data-pages and
 * data-page on it) that turns on a calm timer (?page=SECONDS, 15 by default, longer for pages
 * with many words) and with Page Down / → / space (Page Up / ← back). A column with more
 * elements than fit even at their floors shows them a page at a time the same way.
 */
(function () {
  'use strict';

  // ---------------------------------------------------------------- configuration

  var body = document.body;
  var ROOM = body.getAttribute('data-room') || '';
  var WS_PATH = body.getAttribute('data-ws') || '/ws';
  var QR_SRC = body.getAttribute('data-qr') || '/qr/' + encodeURIComponent(ROOM) + '.png';
  var JOIN_PATH = body.getAttribute('data-join') || '/j/' + encodeURIComponent(ROOM);
  // Content pictures are served beside the WebSocket: /content/<src> (or under its prefix).
  var CONTENT_PATH = (/^wss?:/.test(WS_PATH) ? '/ws' : WS_PATH).replace(/ws$/, '') + 'content/';
  var IMAGE_SRC = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(\/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$/;
  var W = 1920;
  var H = 1080;
  var PING_MS = 25000;
  var SILENCE_MS = 60000; // nothing heard for this long: the socket is dead, start again
  var FLOOR = { title: 44, body: 40, note: 36, label: 32 }; // as engine/screen/theme.py
  var MARKER_H = 56; // the room a page marker takes under a paged text
  var IDLE_MS = 3000; // the mouse pointer hides after this long

  var $ = function (id) { return document.getElementById(id); };
  var common = window.PiiriCommon; // common.js: what the screen and the tablets share
  var stage = $('stage');
  /** A parameter of the page's address (?lang=sv&contrast=high). */
  function param(name) {
    var m = new RegExp('[?&]' + name + '=([^&#]*)').exec(location.search);
    if (!m) return null;
    try { return decodeURIComponent(m[1].replace(/\+/g, ' ')); } catch (e) { return null; }
  }
  var reduced = window.matchMedia ? window.matchMedia('(prefers-reduced-motion: reduce)') : { matches: false };
  var PAGE_SECONDS = Math.max(3, parseFloat(param('page')) || 15);

  // ---------------------------------------------------------------- languages

  var SELKO = common.SELKO;
  var baseOf = common.baseOf;
  var isRtl = common.isRtl;
  var htmlLang = common.htmlLang;

  /** A language tag from the page (?lang=...), or Finnish when it is not a tag. */
  function cleanLang(tag) {
    tag = String(tag || '').trim().replace(/_/g, '-');
    return tag.length <= 20 && /^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$/.test(tag) ? tag : 'fi';
  }
  var LANG = cleanLang(body.getAttribute('data-lang') || param('lang'));


  /** [tag, text] of a LocalizedText ({lang: text}) for the screen's language. */
  function pickEntry(text) { return common.pickEntry(text, LANG); }
  function pick(text) { return pickEntry(text)[1]; }

  // The screen's own words (engine/screen/words.py and the engine messages it uses).
  function w4(fi, sv, en, selko) { return { fi: fi, sv: sv, en: en, 'fi-x-selko': selko || fi }; }
  var WORDS = {
    turn: w4('Vuorossa', 'Har turen', 'Their turn', 'Nyt vuorossa'),
    passed: w4('Ohitti', 'Hoppade över', 'Passed'),
    answered: w4('Vastasi', 'Har svarat', 'Answered'),
    away: w4('Poissa', 'Borta', 'Away', 'Ei nyt mukana'),
    scan: w4('Skannaa koodi puhelimella tai tabletilla', 'Skanna koden med telefonen eller surfplattan',
      'Scan the code with a phone or tablet', 'Kuvaa koodi puhelimella'),
    orGo: w4('tai mene osoitteeseen', 'eller gå till', 'or go to'),
    noUrl: w4('Avaa Piiri tabletilla ja kirjoita koodi', 'Öppna Piiri på plattan och skriv koden',
      'Open Piiri on the tablet and type the code', 'Avaa Piiri ja kirjoita koodi'),
    here: w4('Mukana', 'Med', 'Here'),
    voted: w4('Äänestänyt {voted}/{voters}', 'Har röstat {voted}/{voters}', 'Voted {voted} of {voters}',
      'Äänesti {voted}/{voters}'),
    solved: w4('Avattu', 'Öppnat', 'Opened', 'Auki'),
    open: w4('Ratkaistavana', 'Att lösa', 'To solve', 'Ratkaise tämä'),
    later: w4('Myöhemmin', 'Senare', 'Later'),
    stopped: w4('Aika seis', 'Tiden står still', 'Time stopped', 'Aika on pysähtynyt'),
    timeUp: w4('Aika on kulunut. Ei kiirettä.', 'Tiden är ute. Ingen brådska.', 'Time is up. No hurry.',
      'Aika loppui. Ei haittaa.'),
    card: w4('Kortti', 'Kort', 'Card'),
    joinHere: w4('Tule mukaan', 'Var med', 'Join in'),
    roomCode: w4('Huoneen koodi', 'Rummets kod', 'Room code', 'Koodi'),
    typeCode: w4('Tai kirjoita koodi osoitteessa', 'Eller skriv koden på', 'Or type the code at',
      'Tai kirjoita koodi täällä:'),
    lost: w4('Yhteys katkesi — yhdistetään uudelleen…', 'Anslutningen bröts — ansluter igen…',
      'Connection lost — reconnecting…', 'Yhteys katkesi. Yhdistetään uudelleen…'),
    lostBody: w4('Peli jatkuu, kun yhteys palaa. Mitään ei menetetä.',
      'Spelet fortsätter när anslutningen är tillbaka. Inget går förlorat.',
      'The game goes on when the connection is back. Nothing is lost.',
      'Peli jatkuu, kun yhteys toimii. Mitään ei häviä.'),
    connecting: w4('Yhdistetään…', 'Ansluter…', 'Connecting…'),
    noRoom: w4('Huonetta {room} ei löytynyt. Tarkista koodi.', 'Rummet {room} hittades inte. Kontrollera koden.',
      'Room {room} was not found. Please check the code.', 'Huonetta {room} ei löydy. Katso koodi uudestaan.'),
    qr: w4('QR-koodi', 'QR-kod', 'QR code'),
  };
  function say(key, params) {
    var s = pick(WORDS[key]);
    return params ? s.replace(/\{(\w+)\}/g, function (m, k) { return k in params ? params[k] : m; }) : s;
  }

  // ---------------------------------------------------------------- colours

  var OKABE = { orange: '#E69F00', sky: '#56B4E9', green: '#009E73', yellow: '#F0E442', blue: '#0072B2',
    vermilion: '#D55E00', purple: '#CC79A7', grey: '#7F7F7F' };

  /** [r, g, b] of '#RRGGBB' or '#RGB' (or an avatar colour's name); grey for anything else. */
  function rgb(value) {
    var v = String(value || '');
    if (OKABE[v]) v = OKABE[v];
    var m = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(v.trim());
    if (!m) return [127, 127, 127];
    var t = m[1].length === 3 ? m[1].replace(/(.)/g, '$1$1') : m[1];
    return [0, 2, 4].map(function (i) { return parseInt(t.substr(i, 2), 16); });
  }
  function hex(c) { return '#' + c.map(function (v) { return ('0' + Math.round(v).toString(16)).slice(-2); }).join(''); }
  function mix(a, b, t) { return [0, 1, 2].map(function (i) { return a[i] + (b[i] - a[i]) * t; }); }
  function lum(c) {
    var l = c.map(function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * l[0] + 0.7152 * l[1] + 0.0722 * l[2];
  }
  /** Near-black or white, whichever reads better on `c` (as theme.contrast_ink). */
  function inkOn(c) {
    var l = lum(c);
    return 1.05 / (l + 0.05) > (l + 0.05) / (lum([20, 24, 28]) + 0.05) ? '#ffffff' : '#14181c';
  }

  // ---------------------------------------------------------------- pictures

  // 24×24 line drawings stroked with the current colour (class f = filled). The avatar icons are
  // tablet.js's, so a participant finds the same picture on the tablet and on the screen.
  var C = common.circle;
  var P = common.path;
  var ICONS = Object.assign({}, common.AVATAR_ICONS, {
    people: C(8, 7, 3) + C(16.5, 7, 3) + P('M2.5 20.5c0-4 2.5-7 5.5-7s5.5 3 5.5 7M12 14.3c1-.6 2.6-.8 4.5-.8 3 0 5 3 5 7'),
    chat: P('M4 4h16a1.5 1.5 0 0 1 1.5 1.5v9A1.5 1.5 0 0 1 20 16h-9.5l-5 4.5V16H4a1.5 1.5 0 0 1-1.5-1.5v-9A1.5 1.5 0 0 1 4 4z') +
      C(8, 10, 1.3, 1) + C(12, 10, 1.3, 1) + C(16, 10, 1.3, 1),
    bulb: P('M9 18h6M10 21.5h4M12 2.5a6.5 6.5 0 0 0-4 11.6c.7.6 1 1.4 1 2.4h6c0-1 .3-1.8 1-2.4a6.5 6.5 0 0 0-4-11.6z'),
    question: P('M8.5 8.5a3.5 3.5 0 1 1 5 3.2c-1 .5-1.5 1.3-1.5 2.3v1') + C(12, 19.5, 1.4, 1),
    turn: P('M7 4.5 19.5 12 7 19.5z', 1),
    passed: P('M4 12h13M12 6l6 6-6 6M20.5 5v14'),
    answered: P('M4 12.5l5 5L20 6.5'),
    away: P('M2.5 9a14 14 0 0 1 19 0M5.5 12.5a9.5 9.5 0 0 1 13 0M8.5 16a5 5 0 0 1 7 0M3.5 3.5l17 17') + C(12, 19.5, 1.4, 1),
    lock_closed: '<rect x="4.5" y="10.5" width="15" height="11" rx="2"/>' + P('M8 10.5V7a4 4 0 0 1 8 0v3.5') + C(12, 16, 1.5, 1),
    lock_open: '<rect x="4.5" y="10.5" width="15" height="11" rx="2"/>' + P('M8 10.5V7a4 4 0 0 1 7.8-1.3') + C(12, 16, 1.5, 1),
    pause: '<rect class="f" x="6" y="4" width="4.2" height="16" rx="1.2"/><rect class="f" x="13.8" y="4" width="4.2" height="16" rx="1.2"/>',
    stopwatch: C(12, 13.5, 7.5) + P('M12 13.5V9.5M10 2.5h4M12 2.5V6M18.5 6.5l1.5-1.5'),
    // The reactions (tablet.js draws the same; me_too is "people").
    clap: P('M12 2.5v4M12 17.5v4M2.5 12h4M17.5 12h4M5.3 5.3l2.8 2.8M15.9 15.9l2.8 2.8M5.3 18.7l2.8-2.8M15.9 8.1l2.8-2.8'),
    thanks: P('M3.5 4.5h17v12h-9l-5 4v-4h-3z') + P('M12 13.5s-3-1.8-3-4a1.6 1.6 0 0 1 3-.8 1.6 1.6 0 0 1 3 .8c0 2.2-3 4-3 4z', 1),
  });
  // Pictures that read better filled from across a room.
  var SOLID = ['star', 'heart', 'moon', 'drop', 'mountain', 'fish'];
  // Theme icon names the screen knows by another name (as engine/screen/icons.py).
  var ALIASES = { home: 'house', music: 'note', speech: 'chat', talk: 'chat', water: 'drop', coffee: 'cup',
    rest: 'cup', nature: 'tree', forest: 'tree', group: 'people', friends: 'people', feelings: 'heart',
    love: 'heart', idea: 'bulb', hint: 'bulb', lightbulb: 'bulb', check: 'answered', done: 'answered',
    lock: 'lock_closed', unlock: 'lock_open', skip: 'passed', play: 'turn', timer: 'stopwatch',
    wifi_off: 'away', offline: 'away', me_too: 'people' };
  // Any other name gets one of these shapes, always the same one for the same name.
  var PATTERNS = [C(12, 12, 8.5, 1), C(12, 12, 7.5), P('M12 3 21.5 19.5h-19z', 1),
    '<rect class="f" x="4.5" y="4.5" width="15" height="15"/>', P('M12 2 20.5 12 12 22 3.5 12z', 1),
    P('M9.5 3h5v6.5H21v5h-6.5V21h-5v-6.5H3v-5h6.5z', 1), P('M21.5 12l-4.8 8.2H7.3L2.5 12l4.8-8.2h9.4z', 1),
    '<rect class="f" x="3" y="4" width="18" height="3.5" rx="1"/><rect class="f" x="3" y="10.25" width="18" height="3.5" rx="1"/><rect class="f" x="3" y="16.5" width="18" height="3.5" rx="1"/>'];
  var FLIPS = ['passed'];

  function crc32(s) {
    var c, crc = -1;
    var bytes = unescape(encodeURIComponent(s));
    for (var i = 0; i < bytes.length; i++) {
      c = (crc ^ bytes.charCodeAt(i)) & 0xff;
      for (var k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
      crc = (crc >>> 8) ^ c;
    }
    return (crc ^ -1) >>> 0;
  }

  /** The picture `name` as SVG markup in a 24×24 box. */
  function pic(name) {
    var key = ALIASES[name] || name;
    var d = Object.prototype.hasOwnProperty.call(ICONS, key) ? ICONS[key] : PATTERNS[crc32(String(name)) % PATTERNS.length];
    return '<g class="pic' + (SOLID.indexOf(key) >= 0 ? ' solid' : '') + '">' + d + '</g>';
  }
  /** A picture as an inline element sized 1em (set font-size to size it). */
  function icon(name, cls) {
    var key = ALIASES[name] || name;
    var span = h('span', { class: 'ico' + (FLIPS.indexOf(key) >= 0 ? ' flip' : '') + (cls ? ' ' + cls : ''),
      'aria-hidden': 'true' });
    span.innerHTML = '<svg viewBox="0 0 24 24" focusable="false">' + pic(name) + '</svg>';
    return span;
  }
  function n1(v) { return Math.round(v * 10) / 10; }

  /** SVG markup of a disc in a 100×100 box: `colour` with the picture on it in the ink that
   *  reads best, a ring round it, a halo for the seat whose turn it is; `dim` for a seat away. */
  function discMarkup(iconName, colour, o) {
    o = o || {};
    var r = 50;
    var out = '';
    if (o.halo) { out += '<circle class="d-halo" cx="50" cy="50" r="50"/>'; r -= 8; }
    if (o.ring) { out += '<circle class="' + (o.dark ? 'd-ring2' : 'd-ring') + '" cx="50" cy="50" r="' + r + '"/>'; r -= o.ring; }
    var fill = rgb(colour);
    if (o.dim) fill = mix(fill, [128, 128, 128], 0.65);
    out += '<circle cx="50" cy="50" r="' + n1(r) + '" fill="' + hex(fill) + '"/>';
    var inner = r * 2 * 0.66;
    out += '<g transform="translate(' + n1(50 - inner / 2) + ' ' + n1(50 - inner / 2) + ') scale(' +
      (inner / 24).toFixed(3) + ')" color="' + inkOn(fill) + '">' + pic(iconName) + '</g>';
    return out;
  }
  function disc(iconName, colour, size, o) {
    var span = h('span', { class: 'disc', 'aria-hidden': 'true' });
    span.style.width = span.style.height = size + 'px';
    span.innerHTML = '<svg viewBox="0 0 100 100" width="100%" height="100%" focusable="false">' +
      discMarkup(iconName, colour, o) + '</svg>';
    return span;
  }
  function avatarDisc(entry, size) {
    var a = entry.avatar || {};
    return disc(a.icon, a.colour, size, { ring: 4.5, halo: isTurn(entry), dim: entry.connected === false });
  }
  function isTurn(entry) { return entry.status === 'turn' && entry.connected !== false; }

  var PIPS = { 1: [[0, 0]], 2: [[-1, -1], [1, 1]], 3: [[-1, -1], [0, 0], [1, 1]],
    4: [[-1, -1], [1, -1], [-1, 1], [1, 1]], 5: [[-1, -1], [1, -1], [0, 0], [-1, 1], [1, 1]],
    6: [[-1, -1], [1, -1], [-1, 0], [1, 0], [-1, 1], [1, 1]] };
  /** A die face in a 100×100 box: pips for 1–6 of a six-sided die, else the number. */
  function dieMarkup(value, sides) {
    var out = '<rect class="face" x="4" y="4" width="92" height="92" rx="16"/>';
    var v = Math.round(Number(value)) || 1;
    if ((sides || 6) === 6 && PIPS[v]) {
      PIPS[v].forEach(function (p) { out += '<circle class="pip" cx="' + (50 + p[0] * 26) + '" cy="' + (50 + p[1] * 26) + '" r="9"/>'; });
    } else {
      out += '<text x="50" y="52" text-anchor="middle" dominant-baseline="middle">' + v + '</text>';
    }
    return out;
  }

  // ---------------------------------------------------------------- DOM helpers

  var h = common.h;
  var add = common.add;
  /** An element holding a LocalizedText, marked with its language when not the screen's. */
  function ltext(tag, text, attrs) { return common.ltext(tag, text, attrs, LANG); }

  /* A name in its own script is drawn only where the screen's bundled fonts (Atkinson
     Hyperlegible, then DejaVu Sans: engine/screen/fonts) have every letter, as the pygame screen
     does (render.py _drawable_original): elsewhere (Chinese, Japanese, Devanagari, Thai, …) a
     machine may have no font for it and would show empty boxes. These are the letters of the
     scripts those fonts cover (Latin, Greek, Cyrillic, Armenian, Hebrew, Arabic, Georgian)
     and their punctuation, currency signs, arrows and symbols, read from the fonts' cmaps:
     tests/test_screen_own_script.py checks that both fonts' weights have every one. */
  var DRAWN = [[0x20, 0x7E], [0xA0, 0x24F], [0x300, 0x34F], [0x384, 0x38A], [0x38C, 0x38C],
    [0x38E, 0x3A1], [0x3A3, 0x525], [0x531, 0x556], [0x561, 0x587], [0x5B0, 0x5C3],
    [0x5D0, 0x5EA], [0x60C, 0x60C], [0x61B, 0x61B], [0x61F, 0x61F], [0x621, 0x63A],
    [0x640, 0x655], [0x660, 0x670], [0x679, 0x6BF], [0x6CC, 0x6CC], [0x6F0, 0x6F9],
    [0x10A0, 0x10C5], [0x10D0, 0x10FC], [0x1E00, 0x1EFB], [0x2000, 0x2064], [0x20A0, 0x20B5],
    [0x2190, 0x2311], [0x2500, 0x269C]];
  /* Not drawn at all, so never missing (as the pygame screen: spaces, controls, formats). */
  var UNDRAWN = [[0x0, 0x1F], [0x7F, 0x9F], [0x61C, 0x61C], [0x200B, 0x200F], [0x2028, 0x202E],
    [0x2060, 0x2064], [0x2066, 0x206F], [0xFEFF, 0xFEFF]];
  function within(ranges, code) {
    return ranges.some(function (r) { return code >= r[0] && code <= r[1]; });
  }
  function drawable(text) {
    return Array.from(text).every(function (ch) {
      var code = ch.codePointAt(0);
      return /\s/.test(ch) || within(UNDRAWN, code) || within(DRAWN, code);
    });
  }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; });
  }
  var SVGNS = 'http://www.w3.org/2000/svg';
  function svgEl(tag, attrs) {
    var el = document.createElementNS(SVGNS, tag);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    return el;
  }
  function px(v) { return Math.round(v) + 'px'; }

  function fitsIn(box, el) {
    // (clientWidth is whole pixels: a text sized to its content is a fraction wider)
    return el.offsetHeight <= box.clientHeight + 1 && textWidth(el) <= el.clientWidth + 1;
  }

  /** Shrink the text of `el` (inside `box`) from `max` px until it fits, down to `floor` and
   *  never below: what does not fit then is paged (pageText) or wraps (fitLabel). */
  function fit(box, el, max, floor) {
    var fits = function () { return fitsIn(box, el); };
    el.style.fontSize = max + 'px';
    if (fits()) return max;
    el.style.fontSize = floor + 'px';
    if (!fits()) return floor;
    var lo = floor;
    var hi = max;
    while (hi - lo > 1) {
      var mid = (lo + hi) >> 1;
      el.style.fontSize = mid + 'px';
      if (fits()) lo = mid; else hi = mid;
    }
    el.style.fontSize = lo + 'px';
    return lo;
  }

  /** A label (a name, a heading) on one line from `max` px down to `floor`; when even the
   *  floor is too wide, it wraps instead of being cut. */
  function fitLabel(el, max, floor) {
    el.style.whiteSpace = 'nowrap';
    var size = fit(el, el, max, floor);
    el.style.whiteSpace = textWidth(el) > el.clientWidth + 1 ? 'normal' : 'nowrap';
    return size;
  }

  // ---------------------------------------------------------------- pages

  var PAGES = {}; // text key: {since, first}: when its pages started, and on which
  var shown = []; // the paged texts on show: {key, durations, apply, page}

  function pageMs(words) { return Math.max(PAGE_SECONDS * 1000, words * 500, 3000); }

  /** The page on show `elapsed` ms after page `first` came up, and the ms it has left. */
  function pageAt(durations, first, elapsed) {
    var total = durations.reduce(function (a, b) { return a + b; }, 0) || 1;
    var page = first % durations.length;
    var left = elapsed % total;
    while (left >= durations[page]) { left -= durations[page]; page = (page + 1) % durations.length; }
    return [page, durations[page] - left];
  }

  /** Show paged text `key` (`durations`: how long each page stays) through `apply(page)`. */
  function pager(key, durations, apply) {
    var st = PAGES[key] || (PAGES[key] = { since: Date.now(), first: 0 });
    st.seen = true;
    shown = shown.filter(function (item) { return item.key !== key; });
    var item = { key: key, durations: durations, apply: apply, page: -1 };
    shown.push(item);
    turnTo(item);
  }
  function turnTo(item) {
    var st = PAGES[item.key];
    var p = pageAt(item.durations, st.first, Date.now() - st.since)[0];
    if (p !== item.page) { item.page = p; item.apply(p); }
  }
  function tickPages() { shown.forEach(turnTo); }
  /** The leader's key: every paged text `step` pages on, a full page's time from now. */
  function turnPages(step) {
    shown.forEach(function (item) {
      var n = item.durations.length;
      PAGES[item.key] = { since: Date.now(), first: ((item.page + step) % n + n) % n, seen: true };
      turnTo(item);
    });
  }
  function words(text) { return String(text).split(/\s+/).filter(Boolean).length; }

  /** A page marker: a dot per page and "2/3". */
  function marker(pages) {
    var el = h('div', { class: 'pmark', 'data-pages': pages, 'aria-hidden': 'true' });
    var dots = h('span', { class: 'pdots' });
    for (var i = 0; i < pages && pages <= 8; i++) dots.appendChild(h('i'));
    add(el, [dots, h('b')]);
    return el;
  }
  function markPage(el, page, pages) {
    el.setAttribute('data-page', page);
    el.lastChild.textContent = (page + 1) + '/' + pages;
    Array.prototype.forEach.call(el.firstChild.children, function (dot, i) { dot.className = i === page ? 'on' : ''; });
  }

  /** When `txt` is taller than its window `win` (whose height is its room), show it a page of
   *  whole lines at a time, with a marker at the end of `holder`. Returns the number of pages. */
  function pageText(win, txt, holder, key) {
    unpageText(win, txt, holder, key);
    var room = win.clientHeight;
    if (txt.offsetHeight <= room + 1) return 1;
    var size = parseFloat(getComputedStyle(txt).fontSize);
    var lh = Math.round(size * (parseFloat(txt.getAttribute('data-lh')) || 1.3));
    txt.style.lineHeight = lh + 'px';
    var lines = Math.max(1, Math.floor((room - MARKER_H) / lh));
    var pageH = lines * lh;
    var pages = Math.ceil((txt.offsetHeight - 2) / pageH);
    if (pages <= 1) return 1;
    win.classList.add('paged');
    win.style.height = px(pageH);
    var mark = marker(pages);
    holder.appendChild(mark);
    var each = pageMs(words(txt.textContent) / pages);
    var durations = [];
    for (var i = 0; i < pages; i++) durations.push(each);
    pager(key + ':' + pages, durations, function (page) {
      txt.style.transform = 'translateY(' + px(-page * pageH) + ')';
      markPage(mark, page, pages);
    });
    return pages;
  }

  /** A text whole again, as before pageText (to fit it anew). */
  function unpageText(win, txt, holder, key) {
    var old = holder.querySelector(':scope > .pmark');
    if (old) old.remove();
    win.classList.remove('paged');
    win.style.height = '';
    txt.style.transform = '';
    txt.style.lineHeight = '';
    shown = shown.filter(function (item) { return item.key.indexOf(key + ':') !== 0; });
  }

  /** The width of the text in `el` in design pixels, to the fraction (scrollWidth rounds). */
  var range = document.createRange();
  function textWidth(el) {
    range.selectNodeContents(el);
    var scale = stage.getBoundingClientRect().width / W || 1;
    var cs = getComputedStyle(el);
    return range.getBoundingClientRect().width / scale + parseFloat(cs.paddingLeft) + parseFloat(cs.paddingRight);
  }

  // ---------------------------------------------------------------- state

  var S = {
    ws: null,
    attempt: 0,
    retryTimer: 0,
    everOpen: false,
    live: false, // a scene has arrived on this connection
    lastHeard: 0,
    connSeq: -1,
    seq: null,
    scene: null,
    error: null,
    timer: null, // the running timer on show: {el, remaining, total, running, at}
    prev: null, // what the last picture showed, for calm transitions
    die: null, // the last roll seen on a board ("roll:value"), so a new one tumbles
  };

  // ---------------------------------------------------------------- connection

  function wsUrl() { return common.wsUrl(WS_PATH); }

  function setConn(state) {
    body.setAttribute('data-conn', state);
    renderConn();
  }

  function connect() {
    clearTimeout(S.retryTimer);
    var ws;
    try { ws = new WebSocket(wsUrl()); } catch (e) { scheduleReconnect(); return; }
    S.ws = ws;
    S.live = false;
    S.connSeq = -1;
    ws.onopen = function () {
      if (S.ws !== ws) return;
      S.lastHeard = Date.now();
      send({ t: 'hello', v: 1, role: 'screen', room: ROOM, lang: LANG });
    };
    ws.onmessage = function (ev) {
      if (S.ws !== ws) return;
      S.lastHeard = Date.now();
      var msg;
      try { msg = JSON.parse(ev.data); } catch (e) { return; }
      if (!msg || typeof msg !== 'object') return;
      if (msg.t === 'scene') onScene(msg);
      else if (msg.t === 'settings') onSettings(msg);
      else if (msg.t === 'error') onError(msg);
      else if (msg.t === 'follow') follow(msg.room);
    };
    ws.onclose = function () {
      if (S.ws !== ws) return;
      S.ws = null;
      lost();
    };
    ws.onerror = function () { /* onclose follows */ };
  }

  /** The table went on at another room (a follow-up activity): show that room instead. */
  function follow(room) {
    if (!/^[A-Za-z0-9]{3,8}$/.test(String(room))) return;
    dropSocket();
    window.location.replace(window.location.pathname.replace(/[^/]*$/, room) +
      window.location.search);
  }

  function lost() {
    S.live = false;
    setConn(S.everOpen ? 'retry' : 'connecting');
    scheduleReconnect();
  }

  function dropSocket() {
    var ws = S.ws;
    S.ws = null;
    if (ws) {
      ws.onclose = ws.onmessage = ws.onopen = null;
      try { ws.close(); } catch (e) { /* already closed */ }
    }
  }

  /** 0.5 s doubling to 8 s; each wait 75–100 % of that. */
  function scheduleReconnect(wait) {
    clearTimeout(S.retryTimer);
    var next = wait || common.backoff(S.attempt);
    S.attempt += 1;
    S.retryTimer = setTimeout(connect, next);
  }

  function send(obj) {
    if (!S.ws || S.ws.readyState !== 1) return false;
    S.ws.send(JSON.stringify(obj));
    return true;
  }

  function heartbeat() {
    if (S.ws && S.ws.readyState === 1) {
      if (Date.now() - S.lastHeard > SILENCE_MS) { dropSocket(); lost(); return; }
      send({ t: 'ping' });
    }
  }

  /** Come back at once when the network or the page does, rather than at the backoff. */
  function wake() {
    if (S.ws && Date.now() - S.lastHeard > SILENCE_MS) dropSocket();
    if (!S.ws) { S.attempt = 0; connect(); }
  }

  /** The leader chose another language for the shared screens: switch and redraw. */
  function onSettings(msg) {
    var lang = cleanLang(msg.lang);
    if (!lang || lang === LANG) return;
    LANG = lang;
    root.setAttribute('lang', htmlLang(LANG));
    root.setAttribute('dir', isRtl(LANG) ? 'rtl' : 'ltr');
    body.setAttribute('data-lang', LANG);
    if (S.scene) { S.prev = null; show(S.scene, S.connSeq); }
  }

  function onScene(msg) {
    if (typeof msg.seq === 'number') {
      if (msg.seq < S.connSeq) return; // an older picture overtaken on this connection
      S.connSeq = msg.seq;
    }
    S.live = true;
    S.everOpen = true;
    S.attempt = 0;
    if (S.error) { S.error = null; body.removeAttribute('data-error'); }
    setConn('open');
    show(msg.scene || {}, msg.seq);
  }

  function onError(msg) {
    if (msg.reason === 'no_room') {
      // The server does not know the room (yet, or any more): say so and ask again later.
      S.error = 'no_room';
      body.setAttribute('data-error', 'no_room');
      renderConn();
      dropSocket();
      S.attempt = 5;
      scheduleReconnect();
    } else if (msg.reason === 'old_version') {
      setTimeout(function () { location.reload(); }, 3000); // the server was updated
    }
  }

  // ---------------------------------------------------------------- the picture

  var KINDS = ['board', 'card', 'text', 'roster', 'timer', 'progress', 'join', 'die', 'tally', 'story', 'locks', 'image',
    'reactions', 'timeline'];
  var REACTIONS = ['heart', 'me_too', 'clap', 'thanks'];
  var FLEX = ['card', 'story', 'join', 'die', 'image'];

  /** Draw `scene` (a Scene as JSON) on the stage. */
  function show(scene, seq) {
    var prev = S.prev || { tokens: {}, spaces: {}, tallies: {}, cards: [], seats: null, reactions: {}, overlay: false,
      first: true };
    var ctx = {
      scene: scene,
      layout: String(scene.layout || 'card'),
      avatars: {},
      jobs: [], // run once the picture is in place and has its size
      fits: [], // then: text sized to its room (again when a column is paged)
      afters: [], // run a moment later, to start transitions
      prev: prev,
      next: { tokens: {}, spaces: {}, tallies: {}, cards: [], seats: {}, reactions: {}, overlay: !!scene.overlay },
      counters: {},
    };
    var elements = Array.isArray(scene.elements) ? scene.elements : [];
    elements.forEach(function (e) {
      if (e && e.kind === 'roster' && Array.isArray(e.entries)) {
        e.entries.forEach(function (entry) { ctx.avatars[entry.seat] = entry; ctx.next.seats[entry.seat] = true; });
      }
    });
    S.timer = null;
    shown = [];
    Object.keys(PAGES).forEach(function (key) { PAGES[key].seen = false; });

    var head = $('head');
    var main = $('main');
    head.textContent = '';
    main.textContent = '';
    main.className = 'main lay-' + ctx.layout.replace(/[^a-z]/g, '');

    var by = Object.create(null);
    elements.forEach(function (e) {
      if (e && KINDS.indexOf(e.kind) >= 0) (by[e.kind] = by[e.kind] || []).push(e);
    });
    var take = function (kind) { var list = by[kind] || []; delete by[kind]; return list; };
    var progress = take('progress')[0];
    var rosters = take('roster');
    var timers = take('timer');
    var joins = take('join');
    var boards = take('board');
    var dice = boards.length ? take('die') : [];
    // The speaker's reactions sit in the side column, over the roster where the speaker's row
    // is lit; without a side column they go with the other elements.
    var sideReactions = ctx.layout !== 'lobby' && ctx.layout !== 'closing' && (rosters.length || timers.length) ?
      take('reactions') : [];
    var rest = elements.filter(function (e) { return e && by[e.kind]; });
    var hints = rest.filter(function (e) { return e.kind === 'text' && e.style === 'hint'; });
    var items = rest.filter(function (e) { return hints.indexOf(e) < 0; }).concat(hints);

    // The header: the scene's title and how far the group has come.
    var title = h('h1', { class: 'htitle' });
    if (scene.title) add(title, ltext('span', scene.title));
    head.appendChild(title);
    ctx.fits.push(function () { if (scene.title) fitLabel(title, 50, FLOOR.title); });
    if (progress) head.appendChild(element(progress, ctx));
    document.title = (scene.title ? pick(scene.title) + ' · ' : '') + 'Piiri';

    var roster = rosters[0];
    var hasPeople = roster && Array.isArray(roster.entries) && roster.entries.length > 0;
    if (ctx.layout === 'lobby') {
      var right = h('div', { class: 'right' });
      if (joins.length) {
        main.appendChild(add(h('div', { class: 'area' }), stack([joins[0]], ctx)));
      } else {
        right.className = 'right wide';
      }
      main.appendChild(right);
      if (hasPeople) {
        right.appendChild(element(roster, ctx, 'tiles'));
        if (items.length) { var notes = stack(items, ctx); notes.style.flex = 'none'; right.appendChild(notes); }
      } else {
        right.appendChild(stack(items, ctx));
      }
    } else if (ctx.layout === 'closing') {
      main.appendChild(stack(items.concat(joins), ctx));
      if (hasPeople) {
        var tiles = element(roster, ctx, 'tiles');
        tiles.style.flex = '0 0 294px';
        main.appendChild(tiles);
      }
    } else {
      var host = main;
      var lines = items.filter(function (e) { return e.kind === 'timeline'; }).slice(0, 1);
      if (lines.length) {
        // A life line reads across the whole screen; the rest shares the room under it, or,
        // when the line is too tall to share, the two take turns (a page each).
        items = items.filter(function (e) { return e.kind !== 'timeline'; });
        main.classList.add('with-line');
        var lineEl = element(lines[0], ctx);
        lineEl.classList.add('line-top');
        main.appendChild(lineEl);
        host = h('div', { class: 'below' });
        main.appendChild(host);
        ctx.fits.push(function () { lineTurns(main, lineEl, host, lines[0]); });
      }
      var area = h('div', { class: 'area' });
      host.appendChild(area);
      if (roster || timers.length) {
        var side = h('div', { class: 'side' });
        host.appendChild(side);
        if (timers.length) side.appendChild(element(timers[0], ctx));
        if (sideReactions.length) { ctx.reactionsEl = element(sideReactions[0], ctx); side.appendChild(ctx.reactionsEl); }
        if (roster) side.appendChild(element(roster, ctx, 'list'));
      }
      if (boards.length) {
        var inner = h('div', { class: 'inner stack-host' });
        // The die has a place of its own, so it never covers a word: the top end corner of
        // the card (whose heading leaves it free), else above the words.
        ctx.dieCard = dice.length ? items.filter(function (e) { return e.kind === 'card'; })[0] : null;
        var layers = board(boards[0], dice[0], inner, ctx);
        area.appendChild(layers[0]);
        area.appendChild(inner);
        area.appendChild(layers[1]); // tokens and the die go over everything
        var column = stack(items.concat(joins), ctx);
        ctx.column = column;
        if (dice.length && !ctx.dieCard) column.classList.add('has-die');
        inner.appendChild(column);
        if (dice.length) {
          var roll = String(dice[0].roll) + ':' + dice[0].value;
          var fresh = S.die !== null && S.die !== roll; // a roll seen before is not news
          S.die = roll;
          ctx.fits.push(function () { boardDie(layers[1], area, inner, dice[0], fresh); });
        }
      } else {
        ctx.column = stack(items.concat(joins), ctx);
        area.appendChild(ctx.column);
      }
    }

    // The pause overlay: dim everything and say so in big words.
    var overlay = $('overlay');
    overlay.textContent = '';
    if (scene.overlay && typeof scene.overlay === 'object') {
      var veil = messagePanel('pause', pick(scene.overlay.title), scene.overlay.body ? pick(scene.overlay.body) : '');
      veil.className = 'veil pause';
      veil.setAttribute('data-kind', 'pause');
      veil.setAttribute('role', 'alert');
      if (!prev.overlay && !prev.first) enter(veil, ctx);
      overlay.appendChild(veil);
    }

    ctx.jobs.forEach(function (job) { safely(job); });
    safely(function () { reactionsOrRoster(ctx); });
    ctx.fits.forEach(function (job) { safely(job); });
    // A column that does not fit even with its words at their floors shows its elements a
    // page at a time; then the text of what is on show is fitted again.
    Array.prototype.forEach.call(main.querySelectorAll('.stack'), function (st) {
      if (safely(function () { return pageColumn(st, ctx); })) ctx.fits.forEach(function (job) { safely(job); });
    });
    Object.keys(PAGES).forEach(function (key) { if (!PAGES[key].seen) delete PAGES[key]; });
    ctx.done = true;
    if (ctx.afters.length) {
      void stage.offsetWidth; // the starting point of each transition is in place
      ctx.afters.forEach(function (fn) { safely(fn); });
    }
    S.prev = ctx.next;
    S.scene = scene;
    S.seq = seq;
    body.setAttribute('data-layout', ctx.layout);
    if (seq != null) body.setAttribute('data-seq', String(seq));
    tickTimer();
  }

  /** A life line over the rest of its scene: when the rest would keep less than LINE_REST
   *  under it, the line and the rest take turns on the whole screen, with a marker. */
  var LINE_REST = 320;
  function lineTurns(main, lineEl, below, e) {
    if (lineEl.offsetHeight + 36 + LINE_REST <= main.clientHeight) return;
    main.classList.add('turns');
    var mark = marker(2);
    main.appendChild(mark);
    var names = [];
    (e.stages || []).forEach(function (st) { (st.items || []).forEach(function (i) { names.push(pick(i.label)); }); });
    var key = 'line:' + JSON.stringify(e);
    pager(key, [pageMs(words(names.join(' '))), pageMs(words(below.textContent))], function (page) {
      lineEl.classList.toggle('away', page !== 0);
      below.classList.toggle('away', page !== 1);
      markPage(mark, page, 2);
    });
  }

  /** The reactions in the side column when the roster keeps every name and status whole
   *  under them; else they go under the card (the roster is laid out again). */
  function reactionsOrRoster(ctx) {
    var list = ctx.rosterList;
    if (!ctx.reactionsEl || ctx.reactionsEl.hidden || !list || !ctx.column || rosterWhole(list)) return;
    var cards = ctx.column.querySelectorAll(':scope > .cards, :scope > [data-kind=card]');
    var after = cards.length ? cards[cards.length - 1].nextSibling : ctx.column.firstChild;
    ctx.column.insertBefore(ctx.reactionsEl, after);
    fitReactions(ctx.reactionsEl);
    if (ctx.rosterJob) ctx.rosterJob();
  }
  function rosterWhole(list) {
    return Array.prototype.every.call(list.querySelectorAll('.rrow'), function (row) {
      var who = row.querySelector('.who');
      if (who && who.offsetHeight > row.clientHeight + 1) return false;
      return Array.prototype.every.call(row.querySelectorAll('.nick, .status'), function (el) {
        return getComputedStyle(el).whiteSpace !== 'nowrap' || textWidth(el) <= el.clientWidth + 1;
      });
    });
  }

  function safely(fn) {
    try { return fn(); } catch (e) { if (window.console) console.error(e); }
    return undefined;
  }

  /** A column (a .stack) taller than its room: first its text blocks shrink towards their
   *  floors together; a card or story page keeps at least its words at the floor or, when
   *  that is more, 55 % of the column (its own text pages inside). If the column still does
   *  not fit, what it starts with and cannot page (a room's locks) stays and the rest is shown
   *  a group of elements at a time, with a marker under the column. Returns whether the
   *  column's elements got new room (their text is then fitted again). */
  function pageColumn(col, ctx) {
    if (col.clientHeight <= 0) return false;
    var kids = Array.prototype.slice.call(col.children).filter(function (kid) { return !kid.classList.contains('pmark'); });
    var gap = parseFloat(getComputedStyle(col).rowGap) || 0;
    var measure = function (room) {
      return kids.map(function (kid) {
        unpage(kid);
        if (kid.classList.contains('tall')) { kid.classList.remove('tall'); kid.style.height = ''; }
        if (!kid.classList.contains('flex')) return kid.offsetHeight;
        kid.classList.add('natural'); // its height with its words at their size, unsqueezed
        var need = kid.offsetHeight;
        kid.classList.remove('natural');
        return Math.max(160, Math.min(need, Math.floor(room * 0.55)));
      });
    };
    var total = function (least) { return least.reduce(function (a, b) { return a + b; }, 0) + gap * (kids.length - 1); };
    var k = 1;
    var least = measure(col.clientHeight);
    while (total(least) > col.clientHeight + 1 && k > 0) {
      k = Math.max(0, k - 0.25);
      col.style.setProperty('--k', k);
      least = measure(col.clientHeight);
    }
    var settle = function (height) {
      kids.forEach(function (kid, i) {
        if (kid.classList.contains('flex')) kid.style.minHeight = px(Math.min(least[i], height));
        else if (least[i] > height && kidKind(kid) === 'text') { kid.classList.add('tall'); kid.style.height = px(height); }
      });
    };
    if (total(least) <= col.clientHeight + 1 || kids.length < 2) {
      settle(col.clientHeight);
      return true;
    }
    var room = col.clientHeight - MARKER_H - 12;
    least = measure(room);
    var pinned = 0;
    var top = 0;
    while (pinned < kids.length - 1 && !/^(text|card|story)$/.test(kidKind(kids[pinned])) &&
           top + least[pinned] + gap < room / 2) { top += least[pinned] + gap; pinned++; }
    var groups = [];
    var used = 0;
    for (var i = pinned; i < kids.length; i++) {
      if (groups.length && used + gap + least[i] <= room - top) { groups[groups.length - 1].push(i); used += gap + least[i]; }
      else { groups.push([i]); used = least[i]; }
    }
    settle(room - top);
    if (groups.length <= 1) return true;
    var mark = marker(groups.length);
    col.classList.add('paged-col');
    col.appendChild(mark);
    var durations = groups.map(function (group) {
      return pageMs(group.reduce(function (n, j) { return n + words(kids[j].textContent); }, 0));
    });
    var key = 'col:' + ctx.layout + ':' + kids.map(function (kid) { return kid.textContent; }).join('|');
    pager(key, durations, function (page) {
      kids.forEach(function (kid, j) { kid.hidden = j >= pinned && groups[page].indexOf(j) < 0; });
      markPage(mark, page, groups.length);
      if (ctx.done) ctx.fits.forEach(function (job) { safely(job); });
    });
    return true;
  }

  /** Undo pageText inside `el`, to measure it whole. */
  function unpage(el) {
    Array.prototype.forEach.call(el.querySelectorAll('.paged'), function (win) {
      win.classList.remove('paged');
      win.style.height = '';
      if (win.firstChild) { win.firstChild.style.transform = ''; win.firstChild.style.lineHeight = ''; }
    });
    Array.prototype.forEach.call(el.querySelectorAll('.pmark'), function (m) { m.remove(); });
  }
  function kidKind(el) {
    return el.getAttribute('data-kind') || (el.querySelector('[data-kind]') || el).getAttribute('data-kind') || '';
  }

  /** Fade and rise in, unless the viewer asked for less motion (CSS handles that too). */
  function enter(el, ctx) {
    el.classList.add('enter', 'pre');
    ctx.afters.push(function () { el.classList.remove('pre'); });
  }

  /** One element drawn in its container with data-kind; a broken one is left out. */
  function element(e, ctx, role) {
    var n = ctx.counters[e.kind] || 0;
    ctx.counters[e.kind] = n + 1;
    var el = null;
    try {
      if (Object.prototype.hasOwnProperty.call(RENDER, e.kind)) el = RENDER[e.kind](e, ctx, role, n);
    } catch (err) {
      if (window.console) console.error('could not draw', e.kind, err);
    }
    if (!el) el = h('div', { hidden: true });
    el.setAttribute('data-kind', e.kind);
    return el;
  }

  /** A column of elements; cards next to each other share a row. */
  function stack(list, ctx) {
    var col = h('div', { class: 'stack' });
    var row = null;
    var flexible = 0;
    list.forEach(function (e) {
      if (e.kind === 'card') {
        if (!row) { row = h('div', { class: 'cards flex' }); col.appendChild(row); flexible += 1; }
        row.appendChild(element(e, ctx));
        return;
      }
      row = null;
      var el = element(e, ctx);
      if (FLEX.indexOf(e.kind) >= 0) { el.classList.add('flex'); flexible += 1; }
      col.appendChild(el);
    });
    if (!flexible && list.length && list.every(function (e) { return e.kind === 'text'; })) col.classList.add('words');
    return col;
  }

  function messagePanel(picture, title, text, extra) {
    var panel = h('div', { class: 'msg' + (title.length > 24 ? ' long' : '') }, [
      icon(picture), h('h2', null, title), text ? h('p', null, text) : null, extra || null]);
    return h('div', { class: 'veil' }, panel);
  }

  // ---------------------------------------------------------------- element kinds

  var RENDER = {
    progress: function (e, ctx) {
      var total = Math.max(1, Math.round(e.total) || 1);
      var done = Math.max(0, Math.min(Math.round(e.done) || 0, total));
      var label = e.label ? ltext('span', e.label, { class: 'label' }) : h('span', { class: 'label' }, done + '/' + total);
      var track;
      if (total <= 12) {
        track = h('span', { class: 'dots', 'aria-hidden': 'true' });
        for (var i = 0; i < total; i++) track.appendChild(h('i', { class: i < done ? 'on' : null }));
      } else {
        var fill = h('i');
        fill.style.width = (100 * done / total) + '%';
        track = h('span', { class: 'pbar', 'aria-hidden': 'true' }, fill);
      }
      ctx.fits.push(function () { fitLabel(label, 42, FLOOR.label); });
      return h('div', { class: 'progress' }, [label, track]);
    },

    card: function (e, ctx, role, index) {
      var box = h('div', { class: 'card' });
      var key = JSON.stringify([e.title, e.body, e.face_up !== false]);
      ctx.next.cards[index] = key;
      if (!ctx.prev.first && ctx.prev.cards[index] !== key) enter(box, ctx);
      if (e.face_up === false) {
        var rings = '<svg class="rings" viewBox="0 0 200 120" aria-hidden="true"><g fill="none" stroke="currentColor" stroke-width="7" opacity=".45">' +
          '<circle cx="70" cy="60" r="52"/><circle cx="130" cy="60" r="52"/></g></svg>';
        var back = h('div', { class: 'back' });
        back.innerHTML = rings;
        back.appendChild(h('b', null, say('card')));
        box.appendChild(back);
        return box;
      }
      var top = h('div', { class: 'ctop' });
      var th = e.theme;
      if (ctx.dieCard === e) box.classList.add('has-die'); // the die lies in its top end corner
      if (th) {
        var name = ltext('span', th.name, { class: 'name' });
        name.style.borderColor = hex(rgb(th.colour));
        top.appendChild(h('span', { class: 'badge' }, [disc(th.icon, th.colour, 74, { ring: 3, dark: true }), name]));
        if (e.title) top.appendChild(ltext('span', e.title, { class: 'ctitle-c' }));
      }
      if (e.card_kind) top.appendChild(ltext('span', e.card_kind, { class: 'kind' }));
      box.appendChild(top);
      if (e.title) {
        box.appendChild(ltext('h2', e.title, { class: 'ctitle' }));
        box.appendChild(h('div', { class: 'rule' }));
      }
      var img = picture(e.image);
      if (img) box.appendChild(img);
      var fb = h('div', { class: 'fitbox' });
      var txt = ltext('p', e.body, { class: 'txt' });
      fb.appendChild(txt);
      box.appendChild(fb);
      txt.setAttribute('data-lh', '1.35');
      ctx.fits.push(function () {
        if (box.hidden) return;
        unpageText(fb, txt, box, 'card:' + key);
        var labels = function () {
          Array.prototype.forEach.call(top.querySelectorAll('.name'), function (el) { fitLabel(el, 42, FLOOR.label); });
          Array.prototype.forEach.call(top.querySelectorAll('.kind'), function (el) { fitLabel(el, 38, FLOOR.label); });
          Array.prototype.forEach.call(top.querySelectorAll('.ctitle-c'), function (el) { fitLabel(el, 56, FLOOR.title); });
        };
        var choose = function (compact) {
          box.classList.toggle('compact', compact);
          labels();
          return [fit(fb, txt, 64, FLOOR.body), fitsIn(fb, txt)];
        };
        var full = choose(false);
        if (th && (full[0] < 64 || !full[1])) {
          // A small card (on a board) keeps its room for the text: the title goes beside the
          // theme badge and the card's kind is left out, when that lets the text be larger.
          var small = choose(true);
          full = full[1] && !small[1] || full[1] === small[1] && small[0] <= full[0] ? choose(false) : small;
        }
        var size = full[0];
        var pages = pageText(fb, txt, box, 'card:' + key);
        // A short question sits in the middle; a longer text reads easier from a straight edge.
        txt.classList.toggle('short', pages === 1 && txt.offsetHeight <= size * 1.35 * 3 + 2);
      });
      return box;
    },

    story: function (e, ctx) {
      var box = h('div', { class: 'story' });
      if (e.title) box.appendChild(ltext('h2', e.title, { class: 'stitle' }));
      var img = picture(e.image);
      if (img) box.appendChild(img);
      var fb = h('div', { class: 'fitbox' });
      var txt = ltext('p', e.body, { class: 'txt' });
      fb.appendChild(txt);
      box.appendChild(fb);
      txt.setAttribute('data-lh', '1.4');
      ctx.fits.push(function () {
        if (box.hidden) return;
        unpageText(fb, txt, box, 'story:' + pick(e.body));
        fit(fb, txt, 54, FLOOR.body);
        pageText(fb, txt, box, 'story:' + pick(e.body));
      });
      return box;
    },

    image: function (e, ctx) {
      var src = String(e.src || '');
      if (!IMAGE_SRC.test(src) || !e.alt) return null;
      var fig = h('figure', { class: 'image' });
      var frame = h('div', { class: 'iframe' });
      var entry = pickEntry(e.alt);
      var img = h('img', { class: 'img', src: CONTENT_PATH + src, alt: entry[1], decoding: 'async',
        width: e.width > 0 ? e.width : null, height: e.height > 0 ? e.height : null });
      if (entry[0] && entry[0] !== 'und' && baseOf(entry[0]) !== baseOf(LANG)) img.setAttribute('lang', htmlLang(entry[0]));
      // Never more than twice its own size: larger, it would only blur.
      if (e.width > 0) img.style.maxWidth = px(e.width * 2);
      if (e.height > 0) img.style.maxHeight = px(e.height * 2);
      // Its words, for when the picture cannot be shown (the <img> says them to a reader).
      var words = ltext('p', e.alt, { class: 'alt', 'aria-hidden': 'true' });
      frame.appendChild(img);
      frame.appendChild(words);
      fig.appendChild(frame);
      if (e.caption) fig.appendChild(ltext('figcaption', e.caption, { class: 'caption' }));
      img.addEventListener('error', function () {
        fig.classList.add('failed');
        fig.setAttribute('data-failed', '');
        safely(function () { fit(frame, words, 40, FLOOR.note); });
      });
      return fig;
    },

    // A line of stages in order (a life line): a dot on the line and the stage's name, and
    // its items in rows that line up across the stages (one grid: row 1 the names, row k+2
    // every stage's k-th item), each with its content picture (its words as alt) and its
    // name, and the name in its own script when it has one. Right to left follows the page.
    timeline: function (e, ctx) {
      var stages = Array.isArray(e.stages) ? e.stages : [];
      if (!stages.length) return null;
      var box = h('div', { class: 'tline' });
      if (e.title) {
        var head = ltext('h2', e.title, { class: 'tltitle' });
        box.appendChild(head);
        ctx.fits.push(function () { fitLabel(head, 62, FLOOR.title); });
      }
      var grid = h('div', { class: 'tlgrid' });
      grid.style.gridTemplateColumns = 'repeat(' + stages.length + ', minmax(0, 1fr))';
      var labels = [];
      var names = [];
      stages.forEach(function (stage, i) {
        var label = ltext('div', stage.label, { class: 'tlstage' });
        label.style.gridColumn = String(i + 1);
        label.style.gridRow = '1';
        grid.appendChild(label);
        labels.push(label);
        (Array.isArray(stage.items) ? stage.items : []).slice(0, 6).forEach(function (item, k) {
          var cell = h('div', { class: 'tlitem' });
          cell.style.gridColumn = String(i + 1);
          cell.style.gridRow = String(k + 2);
          var src = String(item.icon || '');
          if (IMAGE_SRC.test(src)) {
            var alt = item.icon_alt ? pickEntry(item.icon_alt) : ['', ''];
            var img = h('img', { class: 'tlicon', src: CONTENT_PATH + src, alt: alt[1], decoding: 'async',
              width: 128, height: 128 });
            if (alt[0] && alt[0] !== 'und' && baseOf(alt[0]) !== baseOf(LANG)) img.setAttribute('lang', htmlLang(alt[0]));
            img.addEventListener('error', function () { img.classList.add('failed'); });
            cell.appendChild(img);
          } else {
            cell.appendChild(h('span', { class: 'tlmark', 'aria-hidden': 'true' }));
          }
          var words = h('div', { class: 'tlwords' });
          var name = ltext('span', item.label, { class: 'tlname' });
          words.appendChild(name);
          names.push(name);
          var own = String(item.original || '').trim();
          if (own && own !== pick(item.label).trim() && drawable(own)) {
            var original = h('span', { class: 'tlorig', dir: 'auto' }, own);
            words.appendChild(original);
            names.push(original);
          }
          cell.appendChild(words);
          grid.appendChild(cell);
        });
      });
      box.appendChild(grid);
      ctx.fits.push(function () {
        var size = 44;
        labels.forEach(function (l) { size = Math.min(size, fitLabel(l, 44, FLOOR.label)); });
        labels.forEach(function (l) { l.style.fontSize = size + 'px'; });
        var each = 38;
        names.forEach(function (n) { each = Math.min(each, fitLabel(n, 38, FLOOR.label)); });
        names.forEach(function (n) { n.style.fontSize = each + 'px'; });
      });
      return box;
    },

    text: function (e, ctx) {
      var style = ['body', 'title', 'hint', 'note'].indexOf(e.style) >= 0 ? e.style : 'body';
      var txt = ltext('p', e.text);
      var win = h('div', { class: 'twin' }, txt);
      var box = h('div', { class: 'text ' + style + (e.title ? ' has-title' : '') }, [
        style === 'hint' ? icon('bulb') : null,
        e.title ? ltext('h2', e.title, { class: 'ttitle' }) : null,
        win,
      ]);
      // A block taller than all its column has, even at its floor, is given that height by
      // pageColumn ('tall') and shows its text a page at a time.
      ctx.fits.push(function () { if (!box.hidden) pageText(win, txt, box, 'text:' + pick(e.text)); });
      return box;
    },

    roster: function (e, ctx, role) {
      var entries = Array.isArray(e.entries) ? e.entries : [];
      return role === 'tiles' ? rosterTiles(entries, ctx) : rosterList(entries, ctx);
    },

    timer: function (e) {
      var box = h('div', { class: 'timer' });
      var ring = h('div', { class: 'ring' });
      ring.innerHTML = '<svg viewBox="0 0 230 230" aria-hidden="true"><circle class="trk" cx="115" cy="115" r="104"/>' +
        '<circle class="arc" cx="115" cy="115" r="104"/></svg>';
      var label = h('b');
      ring.appendChild(label);
      var words = h('div', { class: 'say' });
      add(box, [ring, words]);
      S.timer = { arc: ring.querySelector('.arc'), label: label, words: words, state: '',
        remaining: Math.max(0, Number(e.remaining_ms) || 0), total: Math.max(0, Number(e.total_ms) || 0),
        running: !!e.running, at: Date.now() };
      return box;
    },

    join: function (e, ctx) {
      var code = String(e.code || ROOM).toUpperCase();
      var url = e.url || null;
      var loopback = /^(localhost|127\.|\[?::1\]?$)/.test(location.hostname);
      // The server draws the QR picture for the room's join address; without an address from
      // the server, this page's own address is that address unless it is the laptop itself.
      if (!url && !loopback) url = location.origin + JOIN_PATH;
      // The code page's short address, to type the code at: from the server, else this page's own.
      var short = e.short_url ? String(e.short_url) : !e.url && url ? location.host + JOIN_PATH.replace(/\/[^/]*$/, '') : null;
      var top;
      if (url) {
        var parts = /^[a-z]+:\/\/([^?#]*)/i.exec(url);
        var qr = qrImage();
        qr.alt = say('qr') + ': ' + url;
        var words = h('div', { class: 'jwords' }, [
          h('h2', null, say('joinHere')),
          h('p', { class: 'scan' }, say('scan')),
          h('p', { class: 'orgo' }, say('orGo')),
          h('p', { class: 'url', dir: 'ltr' }, breakable(parts ? parts[1] : url)),
        ]);
        top = h('div', { class: 'jtop' }, [qr, words]);
        ctx.jobs.push(function () {
          var size = Math.floor(Math.min(top.clientHeight, top.clientWidth * 11 / 20));
          qr.style.width = qr.style.height = Math.max(120, size) + 'px';
          fitLabel(words.firstChild, 76, FLOOR.title);
        });
      } else {
        top = h('div', { class: 'jtop nourl' }, [h('h2', null, say('joinHere')), h('p', null, say('noUrl'))]);
      }
      var codeEl = h('div', { class: 'code', dir: 'ltr' }, code);
      var typed = short ? h('p', { class: 'typed' }, [h('span', null, say('typeCode')), ' ',
        h('b', { dir: 'ltr' }, breakable(short))]) : null;
      var bottom = h('div', { class: 'jbot' }, [h('div', { class: 'lbl' }, say('roomCode')), codeEl, typed]);
      ctx.jobs.push(function () {
        if (typed) fitLabel(typed, 48, FLOOR.note);
        fit(bottom, codeEl, 190, 80);
      });
      return h('div', { class: 'join' }, [top, bottom]);
    },

    reactions: function (e, ctx) {
      var counts = (Array.isArray(e.counts) ? e.counts : []).filter(function (c) {
        return c && REACTIONS.indexOf(c.reaction) >= 0 && Math.round(Number(c.count)) > 0;
      });
      if (!counts.length) return null;
      var grid = h('div', { class: 'rgrid' });
      counts.forEach(function (c) {
        var n = Math.round(Number(c.count));
        var item = h('div', { class: 'rx', 'data-reaction': c.reaction, 'data-count': n }, [
          h('span', { class: 'rdisc', 'aria-hidden': 'true' }, icon(c.reaction)), h('b', { class: 'n' }, String(n))]);
        var key = String(e.seat || '') + ':' + c.reaction;
        var before = ctx.prev.reactions[key] || 0;
        ctx.next.reactions[key] = n;
        if (!ctx.prev.first && n > before && !reduced.matches) {
          // A count that grew pops gently (CSS leaves it out for reduced motion too).
          ctx.afters.push(function () { item.classList.add('pop'); });
        }
        grid.appendChild(item);
      });
      var box = h('div', { class: 'reactions', 'data-seat': e.seat || null }, grid);
      ctx.jobs.push(function () { fitReactions(box); });
      return box;
    },

    die: function (e) {
      var box = h('div', { class: 'die' });
      box.innerHTML = '<svg viewBox="0 0 100 100" role="img" aria-label="' + esc(e.value) + '">' + dieMarkup(e.value, e.sides) + '</svg>';
      return box;
    },

    tally: function (e, ctx, role, index) {
      var rows = Array.isArray(e.rows) ? e.rows : [];
      var most = Math.max.apply(null, [Number(e.voters) || 0, 1].concat(rows.map(function (r) { return Number(r.count) || 0; })));
      var box = h('div', { class: 'tally' }, ltext('h2', e.question, { class: 'q' }));
      rows.forEach(function (r, i) {
        var fill = h('i');
        var key = index + ':' + i;
        var to = 100 * (Number(r.count) || 0) / most;
        var from = ctx.prev.tallies[key];
        ctx.next.tallies[key] = to;
        if (from != null && from !== to) {
          fill.style.width = from + '%';
          ctx.afters.push(function () { fill.style.width = to + '%'; });
        } else {
          fill.style.width = to + '%';
        }
        box.appendChild(h('div', { class: 'trow' }, [h('span', { class: 'lbl' }, ltext('span', r.label)),
          h('span', { class: 'bar', 'aria-hidden': 'true' }, fill), h('b', { class: 'n' }, String(Number(r.count) || 0))]));
      });
      box.appendChild(h('p', { class: 'voted' }, say('voted', { voted: Number(e.voted) || 0, voters: Number(e.voters) || 0 })));
      ctx.fits.push(function () { sameSize(box.querySelectorAll('.trow .lbl'), 48, FLOOR.label); });
      return box;
    },

    locks: function (e, ctx) {
      var locks = Array.isArray(e.locks) ? e.locks : [];
      var grid = h('div', { class: 'locks' });
      locks.forEach(function (l) {
        var state = l.solved ? 'solved' : l.available === false ? 'later' : 'open';
        grid.appendChild(h('div', { class: 'lock ' + state, 'data-state': state }, [
          icon(l.solved ? 'lock_open' : 'lock_closed'),
          h('div', { class: 'lname' }, ltext('span', l.label)),
          h('div', { class: 'lstate' }, [l.solved ? icon('answered') : null, say(state)]),
        ]));
      });
      ctx.jobs.push(function () {
        // As many columns as fit, then evened out (four locks are two by two).
        var n = locks.length || 1;
        var widest = Math.max(1, Math.min(n, 4, Math.floor(grid.clientWidth / 340)));
        var cols = Math.max(1, Math.ceil(n / Math.max(1, Math.ceil(n / widest))));
        grid.style.gridTemplateColumns = 'repeat(' + cols + ', minmax(0, 1fr))';
        var size = 44;
        Array.prototype.forEach.call(grid.querySelectorAll('.lname'), function (box) {
          size = Math.min(size, fit(box, box.firstChild, 44, FLOOR.label));
        });
        Array.prototype.forEach.call(grid.querySelectorAll('.lname > span'), function (el) { el.style.fontSize = size + 'px'; });
      });
      return grid;
    },
  };

  /** The counts as large as they go (64 px down to the body floor), on one row while they are
   *  at least 48 px there, else on as few rows as make them larger (as render._reactions_layout). */
  function fitReactions(box) {
    var grid = box.firstChild;
    if (!grid || !box.clientWidth) return;
    var n = grid.children.length;
    var cs = getComputedStyle(box);
    var room = box.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
    var fits = function (cols, size) {
      grid.style.fontSize = size + 'px';
      grid.style.gridTemplateColumns = 'repeat(' + cols + ', auto)';
      return grid.offsetWidth <= room + 1;
    };
    var largest = function (cols) {
      for (var size = 64; size >= FLOOR.body; size -= 4) if (fits(cols, size)) return size;
      return 0;
    };
    var best = null;
    for (var rows = 1; rows <= n; rows++) {
      var cols = Math.ceil(n / rows);
      var size = largest(cols);
      if (size >= 48) { best = [cols, size]; break; }
      if (size && (!best || size > best[1])) best = [cols, size];
    }
    if (!best) best = [1, FLOOR.body];
    fits(best[0], best[1]);
  }

  /** One font size for all of `els` (labels): the largest at which each fits on a line, from
   *  `max` down to `floor`, so no label looks lesser than another; one still too wide at the
   *  floor wraps. */
  function sameSize(els, max, floor) {
    var size = max;
    Array.prototype.forEach.call(els, function (el) { size = Math.min(size, fitLabel(el, max, floor)); });
    Array.prototype.forEach.call(els, function (el) {
      el.style.fontSize = size + 'px';
      el.style.whiteSpace = 'nowrap';
      if (textWidth(el) > el.clientWidth + 1) el.style.whiteSpace = 'normal';
    });
    return size;
  }

  /** An address that may break into lines only after its slashes. */
  function breakable(text) {
    var out = [];
    String(text).split(/(\/)/).forEach(function (part) {
      if (part) out.push(part);
      if (part === '/') out.push(h('wbr'));
    });
    return out;
  }

  // Content pictures: only addresses of this server or of the web, never scripts.
  function picture(src) {
    if (!src || !/^(\/(?!\/)|https?:\/\/)/.test(String(src))) return null;
    return h('img', { class: 'pic-img', src: String(src), alt: '' });
  }

  // One QR picture for the page, kept between scenes so it is never loaded twice.
  var qrCache = null;
  function qrImage() {
    if (!qrCache) qrCache = h('img', { class: 'qr', src: QR_SRC, width: 480, height: 480 });
    return qrCache;
  }

  // ---------------------------------------------------------------- roster

  function statusOf(entry) {
    if (entry.connected === false) return 'away';
    return ['turn', 'passed', 'answered', 'away'].indexOf(entry.status) >= 0 ? entry.status : null;
  }
  /** What a person is doing, in a picture and words ("▶ Vuorossa"); null while waiting. */
  function statusChip(entry) {
    var st = statusOf(entry);
    if (!st) return null;
    return h('span', { class: 'status', 'data-status': st }, [icon(st), h('span', null, say(st))]);
  }
  function seatAttrs(entry, cls) {
    var st = statusOf(entry);
    return { class: cls + (st === 'turn' ? ' turn' : '') + (st === 'away' ? ' away' : ''),
      'data-seat': entry.seat, 'data-status': st || 'waiting' };
  }

  /** One row per person: avatar, nickname, and what they are doing. Two lines a row while they
   *  fit, then name and status side by side, then two columns. */
  function rosterList(entries, ctx) {
    var box = h('div', { class: 'roster rlist' });
    box.style.flex = '1';
    ctx.rosterList = box;
    var rows = entries.map(function (entry) {
      var nick = h('span', { class: 'nick' }, String(entry.nickname || ''));
      var row = h('div', seatAttrs(entry, 'rrow'), [h('span'), h('div', { class: 'who' }, [nick, statusChip(entry)])]);
      if (ctx.prev.seats && !ctx.prev.seats[entry.seat]) enter(row, ctx);
      box.appendChild(row);
      return row;
    });
    ctx.jobs.push(ctx.rosterJob = function () {
      var n = entries.length;
      if (!n) return;
      var height = box.clientHeight;
      var two = 44 + 38 + 40;
      var one = 44 + 34;
      var cols = 1;
      var rowH;
      var stacked = true;
      if (n * two * 0.9 <= height) rowH = Math.min(two + 16, height / n);
      else if (n * one <= height) { rowH = Math.min(one + 12, height / n); stacked = false; }
      else { cols = 2; rowH = height / Math.ceil(n / 2); }
      var scale = Math.min(1, rowH / (stacked ? two : one));
      var d = Math.max(36, Math.min(rowH - 14, cols > 1 ? 64 : 92));
      box.style.gridTemplateRows = 'repeat(' + Math.ceil(n / cols) + ', ' + px(rowH) + ')';
      box.style.gridTemplateColumns = 'repeat(' + cols + ', minmax(0, 1fr))';
      rows.forEach(function (row, i) {
        row.style.height = px(rowH - 8);
        row.classList.toggle('inline', !stacked);
        row.classList.toggle('wrap', cols > 1); // two narrow columns: a long status takes two lines
        row.replaceChild(avatarDisc(entries[i], d), row.firstChild);
        var nick = row.querySelector('.nick');
        var chip = row.querySelector('.status');
        var namePx = Math.round(Math.max(FLOOR.label, 44 * scale));
        fitLabel(nick, namePx, FLOOR.label);
        if (chip) fitLabel(chip, Math.round(Math.max(FLOOR.label, 38 * scale)), FLOOR.label);
      });
    });
    return box;
  }

  /** Big avatars with names, for the lobby and the closing: who is here. */
  function rosterTiles(entries, ctx) {
    var box = h('div', { class: 'roster tiles' });
    if (ctx.layout === 'lobby') box.appendChild(h('div', { class: 'here' }, say('here') + ': ' + entries.length));
    var grid = h('div', { class: 'tgrid' });
    box.appendChild(grid);
    var tiles = entries.map(function (entry) {
      var tile = h('div', seatAttrs(entry, 'tile'), [h('span'), h('span', { class: 'nick' }, String(entry.nickname || '')),
        entry.connected === false ? statusChip(entry) : null]);
      if (ctx.prev.seats && !ctx.prev.seats[entry.seat]) enter(tile, ctx);
      grid.appendChild(tile);
      return tile;
    });
    ctx.jobs.push(function () {
      var n = entries.length;
      if (!n) return;
      var width = grid.clientWidth || box.clientWidth;
      var height = box.clientHeight - (ctx.layout === 'lobby' ? 88 : 0);
      // Every name on at most two lines at the label floor, before the largest avatars.
      var pen = document.createElement('canvas').getContext('2d');
      pen.font = '700 ' + FLOOR.label + 'px ' + getComputedStyle(box).fontFamily;
      var needs = entries.map(function (entry) {
        var name = String(entry.nickname || '');
        return [pen.measureText(name).width, Math.max.apply(null, name.split(/\s+|-/).map(function (w) { return pen.measureText(w + '-').width; }))];
      });
      var best = null;
      for (var cols = 1; cols <= n; cols++) {
        var rows = Math.ceil(n / cols);
        var room = width / cols - 16;
        var named = needs.every(function (nd) { return nd[1] <= room && nd[0] <= room * 1.85; });
        var nameH = needs.some(function (nd) { return nd[0] > room; }) ? 2 * Math.round(FLOOR.label * 1.2) : 44;
        var d = Math.min(width / cols - 40, height / rows - nameH - 50, 190);
        if (!best || named && !best[3] || named === best[3] && d > best[0]) best = [d, cols, rows, named, Math.max(44, nameH)];
      }
      var size = Math.max(48, Math.floor(best[0]));
      var tileW = Math.floor(width / best[1]);
      var tileH = Math.min(height / best[2], size + best[4] + 70);
      if (best[2] * tileH < height && height < 500) grid.style.marginTop = px((height - best[2] * tileH) / 2);
      var nameSize = 44;
      tiles.forEach(function (tile, i) {
        tile.style.width = px(tileW);
        tile.style.height = px(tileH);
        tile.replaceChild(avatarDisc(entries[i], size), tile.firstChild);
        var nick = tile.querySelector('.nick');
        var need = textWidth(nick);
        if (need > tileW - 16) nameSize = Math.min(nameSize, Math.max(FLOOR.label, Math.floor(44 * (tileW - 16) / need)));
      });
      // One name size for everyone (the smallest any name needs), so no name looks lesser; a
      // name still too wide at the floor takes two lines.
      tiles.forEach(function (tile) {
        var nick = tile.querySelector('.nick');
        nick.style.fontSize = nameSize + 'px';
        nick.style.whiteSpace = textWidth(nick) > nick.clientWidth + 1 ? 'normal' : 'nowrap';
      });
    });
    return box;
  }

  // ---------------------------------------------------------------- board

  /** Where the spaces of a board of `count` go in a w×h box: round a rectangle with rounded
   *  corners, clockwise from the top left (as render._board_geometry). */
  function boardGeometry(count, w, h0) {
    count = Math.max(1, count);
    var side = Math.min(132, h0 / 6, w / 6);
    var corner = 0;
    var segments = function (s) {
      var d = Math.round(s * 1.3);
      var L = d / 2;
      var T = d / 2;
      var R = w - d / 2;
      var B = h0 - d / 2;
      corner = Math.min(s * 1.25, (B - T) / 2, (R - L) / 2);
      var sw = R - L - 2 * corner;
      var sh = B - T - 2 * corner;
      var arc = Math.PI * corner / 2;
      return [
        ['line', [L + corner, T], [1, 0], sw, [0, 1]],
        ['arc', [R - corner, T + corner], -Math.PI / 2, arc],
        ['line', [R, T + corner], [0, 1], sh, [-1, 0]],
        ['arc', [R - corner, B - corner], 0, arc],
        ['line', [R - corner, B], [-1, 0], sw, [0, -1]],
        ['arc', [L + corner, B - corner], Math.PI / 2, arc],
        ['line', [L, B - corner], [0, -1], sh, [1, 0]],
        ['arc', [L + corner, T + corner], Math.PI, arc],
      ];
    };
    var total = function (segs) { return segs.reduce(function (a, s) { return a + s[3]; }, 0); };
    for (var k = 0; k < 4; k++) side = Math.min(132, h0 / 6, w / 6, total(segments(side)) / count * 0.8);
    var segs = segments(side);
    var length = total(segs);
    var centres = [];
    var angles = [];
    var inward = [];
    for (var i = 0; i < count; i++) {
      var d = (i + 0.5) * length / count;
      var point = [w / 2, h0 / 2];
      var angle = 0;
      var normal = [0, 0];
      for (var j = 0; j < segs.length; j++) {
        var s = segs[j];
        if (d > s[3]) { d -= s[3]; continue; }
        if (s[0] === 'line') {
          point = [s[1][0] + s[2][0] * d, s[1][1] + s[2][1] * d];
          normal = s[4];
        } else {
          var a = s[2] + (corner ? d / corner : 0);
          point = [s[1][0] + corner * Math.cos(a), s[1][1] + corner * Math.sin(a)];
          angle = a * 180 / Math.PI + 90;
          normal = [-Math.cos(a), -Math.sin(a)];
        }
        break;
      }
      centres.push(point);
      angles.push(angle);
      inward.push(normal);
    }
    var margin = Math.round(side * 1.3 + 20);
    return { centres: centres, angles: angles, inward: inward, side: Math.round(side),
      inner: { x: margin, y: margin, w: w - 2 * margin, h: h0 - 2 * margin } };
  }

  /** Offsets and disc size for `count` tokens sharing one space of `side` px. */
  function tokenSlots(count, side) {
    if (count <= 1) return [[[0, 0]], Math.round(side * 0.72)];
    var ring = count <= 4 ? side * 0.3 : count <= 7 ? side * 0.42 : side * 0.55;
    var size = count <= 4 ? side * 0.56 : count <= 7 ? side * 0.48 : side * 0.42;
    var slots = [];
    for (var i = 0; i < count; i++) {
      var a = -Math.PI / 2 + 2 * Math.PI * i / count;
      slots.push([ring * Math.cos(a), ring * Math.sin(a)]);
    }
    return [slots, Math.round(size)];
  }

  function rect(size, rx, attrs) {
    return '<rect x="' + n1(-size / 2) + '" y="' + n1(-size / 2) + '" width="' + n1(size) + '" height="' + n1(size) +
      '" rx="' + n1(rx) + '" ' + attrs + '/>';
  }

  /** A loop of coloured spaces (a colour and a picture each) with the players' tokens on it:
   *  [the track, a layer for the tokens above everything]. Its size is known once it is on the
   *  page; then the inner area gets the other elements. */
  function board(e, die, inner, ctx) {
    var svg = svgEl('svg', { class: 'board', 'aria-hidden': 'true', 'data-kind': 'board' });
    var top = svgEl('svg', { class: 'board', 'aria-hidden': 'true' });
    var spaces = Array.isArray(e.spaces) ? e.spaces : [];
    var tokens = Array.isArray(e.tokens) ? e.tokens : [];
    ctx.jobs.unshift(function () {
      var host = svg.parentNode;
      var w = host.clientWidth;
      var hh = host.clientHeight;
      var n = spaces.length;
      var g = boardGeometry(n, w, hh);
      svg.setAttribute('viewBox', '0 0 ' + w + ' ' + hh);
      top.setAttribute('viewBox', '0 0 ' + w + ' ' + hh);
      inner.style.left = px(g.inner.x);
      inner.style.top = px(g.inner.y);
      inner.style.width = px(g.inner.w);
      inner.style.height = px(g.inner.h);
      inner.style.display = 'flex';
      if (!n) return;
      var side = g.side;
      var out = '';
      if (n > 1) {
        out += '<polygon class="trackline" stroke-width="' + Math.max(12, side / 4) + '" points="' +
          g.centres.map(function (c) { return n1(c[0]) + ',' + n1(c[1]); }).join(' ') + '"/>';
      }
      var lit = '';
      spaces.forEach(function (sp, i) {
        var c = g.centres[i];
        var on = e.highlight === i;
        var col = rgb(sp.colour);
        var rot = ' transform="rotate(' + n1(g.angles[i] % 90) + ')"';
        var s = '<g transform="translate(' + n1(c[0]) + ' ' + n1(c[1]) + ')">';
        if (sp.label) s += '<title>' + esc(pick(sp.label)) + '</title>';
        if (on) {
          var grow = Math.round(side * 0.18);
          s += rect(side + 2 * grow, side * 0.28, 'class="sp-halo"' + rot);
        }
        var ew = on ? Math.max(4, side / 22) : 3;
        s += rect(side - ew, side * 0.2, 'fill="' + hex(col) + '" class="sp-edge' + (on ? ' lit' : '') +
          '" stroke-width="' + n1(ew) + '"' + rot);
        var ic = side * 0.62;
        s += '<g transform="translate(' + n1(-ic / 2) + ' ' + n1(-ic / 2) + ') scale(' + (ic / 24).toFixed(3) +
          ')" color="' + inkOn(col) + '">' + pic(sp.icon) + '</g></g>';
        if (on) lit = s; else out += s;
      });
      out += lit; // the highlighted space over its neighbours
      if (n > 1) {
        // A chevron after the first space, so the direction of play is clear.
        var p0 = g.centres[0];
        var p1 = g.centres[1];
        var dx = p1[0] - p0[0];
        var dy = p1[1] - p0[1];
        var len = Math.hypot(dx, dy) || 1;
        dx /= len; dy /= len;
        var mx = (p0[0] + p1[0]) / 2;
        var my = (p0[1] + p1[1]) / 2;
        var a = Math.max(10, Math.min(side * 0.2, (len - side) * 0.45));
        out += '<polygon class="arrow" points="' + [[mx + dx * a, my + dy * a], [mx - dx * a - dy * a, my - dy * a + dx * a],
          [mx - dx * a + dy * a, my - dy * a - dx * a]].map(function (p) { return n1(p[0]) + ',' + n1(p[1]); }).join(' ') + '"/>';
      }
      svg.innerHTML = out;
      placeTokens(top, g, tokens, ctx, w + 'x' + hh + ':' + n);
    });
    return [svg, top];
  }

  /** Each seat's token on its space: avatar discs, spread out when several share a space, the
   *  one whose turn it is on top with a halo. A token that moved walks there space by space. */
  function placeTokens(svg, g, tokens, ctx, geoKey) {
    var n = g.centres.length;
    var standing = {};
    var order = [];
    tokens.forEach(function (t) {
      var sp = ((Math.round(t.space) || 0) % n + n) % n;
      if (!standing[sp]) { standing[sp] = []; order.push(sp); }
      standing[sp].push(t.seat);
    });
    var last = [];
    var walkers = [];
    order.forEach(function (sp) {
      var seats = standing[sp];
      var slots = tokenSlots(seats.length, g.side);
      var shift = g.side * (seats.length > 1 ? 0.2 : 0.12);
      var cx = g.centres[sp][0] + g.inward[sp][0] * shift;
      var cy = g.centres[sp][1] + g.inward[sp][1] * shift;
      seats.forEach(function (seat, i) {
        var size = slots[1];
        var entry = ctx.avatars[seat];
        var x = cx + slots[0][i][0];
        var y = cy + slots[0][i][1];
        var node = svgEl('g', { class: 'tok', 'data-seat': seat, 'data-space': sp });
        var drop = Math.max(3, size / 12);
        var a = entry && entry.avatar ? entry.avatar : { icon: 'question', colour: '#7F7F7F' };
        node.innerHTML = '<circle cx="' + n1(drop / 2) + '" cy="' + n1(drop) + '" r="' + n1(size / 2) + '" fill="rgba(0,0,0,.45)"/>' +
          '<g transform="translate(' + n1(-size / 2) + ' ' + n1(-size / 2) + ') scale(' + (size / 100).toFixed(3) + ')">' +
          discMarkup(a.icon, a.colour, { ring: 7, halo: entry && isTurn(entry), dim: entry && entry.connected === false }) + '</g>';
        ctx.next.tokens[seat] = [x, y, geoKey];
        ctx.next.spaces[seat] = sp;
        var from = ctx.prev.tokens[seat];
        var fromSpace = ctx.prev.spaces[seat];
        var moved = from && from[2] === geoKey && (Math.abs(from[0] - x) > 0.5 || Math.abs(from[1] - y) > 0.5);
        setPos(node, moved ? from : [x, y]);
        if (moved) walkers.push([node, fromSpace, sp, [x, y]]);
        if (entry && isTurn(entry)) last.push(node); else svg.appendChild(node);
      });
    });
    last.forEach(function (node) { svg.appendChild(node); });
    walkers.forEach(function (wk) {
      ctx.afters.push(function () { walk(wk[0], g, wk[1], wk[2], wk[3]); });
    });
  }

  function setPos(node, p) { node.style.transform = 'translate(' + n1(p[0]) + 'px,' + n1(p[1]) + 'px)'; }

  /** Move a token forward over the spaces between (a short hop each), or straight there. */
  function walk(node, g, from, to, end) {
    var n = g.centres.length;
    var steps = from == null ? 0 : (to - from + n) % n;
    if (reduced.matches || steps < 2 || steps > 12) { setPos(node, end); return; }
    node.style.transition = 'transform 0.3s ease-in-out';
    var i = 1;
    var next = function () {
      if (!node.isConnected) return;
      if (i < steps) {
        setPos(node, g.centres[(from + i) % n]);
        i += 1;
        setTimeout(next, 320);
      } else {
        setPos(node, end);
        setTimeout(function () { node.style.transition = ''; }, 320);
      }
    };
    next();
  }

  /** The die rolled last, in its place: the top end corner of the card on the board (or of the
   *  board's inner area); it tumbles there when a new roll comes. */
  function boardDie(svg, area, inner, die, fresh) {
    var old = svg.querySelector('.bdie');
    if (old) old.remove();
    var scale = stage.getBoundingClientRect().width / W || 1;
    var base = area.getBoundingClientRect();
    var card = inner.querySelector('.card.has-die');
    var r = (card || inner).getBoundingClientRect();
    var d = 96;
    var inset = card ? 26 : 0;
    var rtl = root.getAttribute('dir') === 'rtl';
    var x = (rtl ? r.left - base.left : r.right - base.left) / scale + (rtl ? inset : -inset - d);
    var y = (r.top - base.top) / scale + inset;
    var node = svgEl('g', { class: 'bdie die', 'data-value': die.value,
      transform: 'translate(' + n1(x) + ' ' + n1(y) + ') scale(' + (d / 100).toFixed(3) + ')' });
    node.innerHTML = '<g class="' + (fresh && !reduced.matches ? 'tumble' : '') + '">' + dieMarkup(die.value, die.sides) + '</g>';
    svg.appendChild(node);
  }

  // ---------------------------------------------------------------- timer

  function tickTimer() {
    var t = S.timer;
    if (!t) return;
    var left = t.running ? Math.max(0, t.remaining - (Date.now() - t.at)) : t.remaining;
    var seconds = Math.ceil(left / 1000);
    var label = Math.floor(seconds / 60) + ':' + ('0' + (seconds % 60)).slice(-2);
    if (t.label.textContent !== label) t.label.textContent = label;
    var c = 2 * Math.PI * 104;
    t.arc.style.strokeDasharray = n1(c) + ' ' + n1(c);
    t.arc.style.strokeDashoffset = n1(c * (1 - (t.total > 0 ? Math.min(1, left / t.total) : 0)));
    var state = left <= 0 ? 'up' : t.running ? '' : 'stopped';
    if (state !== t.state) {
      t.state = state;
      t.words.textContent = '';
      t.words.className = 'say' + (state === 'up' ? ' up' : '');
      if (state === 'up') add(t.words, say('timeUp'));
      else if (state === 'stopped') add(t.words, [icon('pause'), say('stopped')]);
    }
  }

  // ---------------------------------------------------------------- connection panel

  var connShown = '';
  function renderConn() {
    var state = body.getAttribute('data-conn');
    var what = S.error === 'no_room' ? 'no_room' : state === 'open' ? '' : state;
    var el = $('conn');
    if (what === connShown) return;
    connShown = what;
    if (!what) { el.classList.remove('show'); return; }
    var wait = h('div', { class: 'wait', 'aria-hidden': 'true' }, [h('i'), h('i'), h('i')]);
    var panel;
    if (what === 'no_room') panel = messagePanel('question', say('noRoom', { room: ROOM }), '');
    else if (what === 'connecting') panel = messagePanel('stopwatch', say('connecting'), ROOM, wait);
    else panel = messagePanel('away', say('lost'), say('lostBody'), wait);
    el.textContent = '';
    add(el, panel.firstChild);
    el.classList.add('show');
  }

  // ---------------------------------------------------------------- the window

  /** Scale the 1920×1080 stage to the window, keeping its shape, with black bars. */
  function fitStage() {
    var vw = window.innerWidth || document.documentElement.clientWidth;
    var vh = window.innerHeight || document.documentElement.clientHeight;
    var s = Math.min(vw / W, vh / H) || 1;
    stage.style.transform = 'translate(' + px((vw - W * s) / 2) + ',' + px((vh - H * s) / 2) + ') scale(' + s + ')';
  }

  var idleTimer = 0;
  function awake() {
    body.classList.remove('idle');
    clearTimeout(idleTimer);
    idleTimer = setTimeout(function () { body.classList.add('idle'); }, IDLE_MS);
  }

  function fullscreen() {
    var root = document.documentElement;
    if (document.fullscreenElement) { if (document.exitFullscreen) document.exitFullscreen(); }
    else if (root.requestFullscreen) root.requestFullscreen().catch(function () { /* not allowed */ });
  }

  var wakeLock = null;
  function keepAwake() {
    if (!navigator.wakeLock || wakeLock || document.hidden) return;
    navigator.wakeLock.request('screen').then(function (lock) {
      wakeLock = lock;
      lock.addEventListener('release', function () { wakeLock = null; });
    }).catch(function () { /* not allowed here (plain http): the TV's own setting decides */ });
  }

  // ---------------------------------------------------------------- start

  var root = document.documentElement;
  root.setAttribute('lang', htmlLang(LANG));
  root.setAttribute('dir', isRtl(LANG) ? 'rtl' : 'ltr');
  if (param('contrast') === 'high' ||
      (window.matchMedia && window.matchMedia('(prefers-contrast: more)').matches)) root.classList.add('hc');
  body.setAttribute('data-lang', LANG);
  fitStage();
  window.addEventListener('resize', fitStage);
  window.addEventListener('online', wake);
  window.addEventListener('mousemove', awake);
  window.addEventListener('dblclick', fullscreen);
  window.addEventListener('keydown', function (ev) {
    if (ev.key === 'f' || ev.key === 'F') fullscreen();
    // The leader at the keyboard turns a long text's pages at the group's pace.
    var step = { PageDown: 1, ArrowRight: 1, ' ': 1, PageUp: -1, ArrowLeft: -1 }[ev.key];
    if (step) { ev.preventDefault(); turnPages(step); }
  });
  document.addEventListener('visibilitychange', function () { if (!document.hidden) { wake(); keepAwake(); } });
  setInterval(heartbeat, PING_MS);
  setInterval(tickTimer, 250);
  setInterval(tickPages, 500);
  awake();
  keepAwake();
  setConn('connecting');
  connect();

  // For previews and tests: draw a scene without a server (the next scene replaces it).
  window.PiiriScreen = { show: function (scene) { show(scene, S.seq); }, turn: turnPages,
    drawable: drawable };
})();
