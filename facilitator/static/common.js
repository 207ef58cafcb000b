/* Piiri: what the tablet client (tablet.js) and the browser screen (screen.js) share.
 *
 * Loaded before either of them (ES2017, no build step): window.PiiriCommon holds the language
 * rules (the fallback chain and right-to-left tags of engine/text.py), the avatar pictures and
 * colours (engine/scene.py's AvatarIcon and AvatarColour, drawn the same on a tablet and on the
 * screen, so a participant finds their own picture), the line-drawing helpers for icons, the
 * DOM helpers and the reconnect backoff. Nothing here talks to the server or keeps state.
 */
(function () {
  'use strict';

  // ---------------------------------------------------------------- languages

  var SELKO = 'fi-x-selko';
  // Same set as engine/text.py: the base subtag decides.
  var RTL = ['ar', 'fa', 'he', 'ur', 'ps', 'ckb', 'yi', 'dv', 'sd', 'ug'];

  function baseOf(tag) { return String(tag).split('-')[0].toLowerCase(); }
  function isRtl(tag) { return RTL.indexOf(baseOf(tag)) >= 0; }
  // What goes in a lang attribute: browsers and screen readers do not know the private-use tag.
  function htmlLang(tag) { return tag === SELKO ? 'fi' : tag; }

  /** The order in which translations are tried for a reader of `tag` (as engine/text.py). */
  function fallbackChain(tag) {
    var chain = [];
    var parts = String(tag).split('-');
    for (var end = parts.length; end > 0; end--) {
      var candidate = parts.slice(0, end).join('-');
      if (candidate.slice(-2) === '-x') continue;
      chain.push(candidate);
    }
    var national = parts[0] === 'fi' || parts[0] === 'sv';
    (national ? ['fi', 'en', 'sv'] : ['en', 'fi', 'sv']).forEach(function (extra) {
      if (chain.indexOf(extra) < 0) chain.push(extra);
    });
    return chain;
  }

  /** [tag, text] of a LocalizedText ({lang: text}) for a reader of `lang`; a plain string is
   * language-neutral ('und'). */
  function pickEntry(text, lang) {
    if (text == null) return ['', ''];
    if (typeof text !== 'object') return ['und', String(text)];
    var chain = fallbackChain(lang);
    for (var i = 0; i < chain.length; i++) {
      if (Object.prototype.hasOwnProperty.call(text, chain[i])) return [chain[i], String(text[chain[i]])];
    }
    var keys = Object.keys(text);
    return keys.length ? [keys[0], String(text[keys[0]])] : ['', ''];
  }

  // ---------------------------------------------------------------- pictures

  // 24×24 line drawings stroked with the current colour (class f = filled).
  function circle(x, y, r, f) {
    return '<circle cx="' + x + '" cy="' + y + '" r="' + r + '"' + (f ? ' class="f"' : '') + '/>';
  }
  function path(d, f) { return '<path d="' + d + '"' + (f ? ' class="f"' : '') + '/>'; }
  var C = circle;
  var P = path;

  /** The avatar pictures (things, never faces), and the heart both clients draw. */
  var AVATAR_ICONS = {
    sun: C(12, 12, 4) + P('M12 2v2.5M12 19.5V22M2 12h2.5M19.5 12H22M4.9 4.9l1.8 1.8M17.3 17.3l1.8 1.8M4.9 19.1l1.8-1.8M17.3 6.7l1.8-1.8'),
    moon: P('M20 14.5A8.5 8.5 0 1 1 9.5 4a7 7 0 0 0 10.5 10.5z'),
    star: P('M12 2.5l2.9 6 6.6.9-4.8 4.6 1.2 6.5L12 17.4l-5.9 3.1 1.2-6.5-4.8-4.6 6.6-.9z'),
    tree: P('M12 2.5 5 12h4l-3.5 5h13L15 12h4zM12 17v4.5'),
    leaf: P('M4.5 19.5C4.5 10 10 4.5 20 4.5c0 10-5.5 15-15.5 15zM4.5 19.5l9-9'),
    flower: C(12, 5.5, 2.6) + C(15.6, 9, 2.6) + C(12, 12.5, 2.6) + C(8.4, 9, 2.6) + C(12, 9, 1.2, 1) +
      P('M12 15v7M12 19c1.5-2 3.5-2.5 5-2.5-.5 2-2.5 3-5 2.5'),
    bird: P('M7 17c-2.5 0-4-1.5-4-1.5S5 14 6 11c1-3 3.5-5 6.5-5 2 0 3.5 1 4 2.5L21 9.5l-4 1c0 4-3 6.5-6 6.5zM9 11.5c1.5 2 4 2.5 6 1.5M10 17v3.5M13 17v3.5'),
    fish: P('M2.5 12c3-4.5 9.5-6 14.5 0-5 6-11.5 4.5-14.5 0zM17 12l4.5-4v8z'),
    boat: P('M2.5 15.5h19l-3 5h-13zM12 2.5v13M12 3.5l6.5 9.5H12'),
    bicycle: C(5.5, 16, 3.5) + C(18.5, 16, 3.5) + P('M5.5 16 9 9h7l2.5 7M9 9l3.5 7 3.5-7M7.5 6H11M15 6h2.5L16 9'),
    mountain: P('M2 20 9 7.5l4 6.5 2.5-3.5L22 20z'),
    cup: P('M4 9h12v5a5 5 0 0 1-5 5H9a5 5 0 0 1-5-5zM16 10.5h1.5a2.5 2.5 0 0 1 0 5H16M8 2.5V6M12 2.5V6M3 21.5h14'),
    key: C(7.5, 15.5, 4) + P('M10.5 12.5l9-9M16.5 6.5l3 3M14 9l2.5 2.5'),
    note: C(6.5, 18, 3) + C(17.5, 16, 3) + P('M9.5 18V5l11-2v13'),
    drop: P('M12 2.5c-4 5.5-7 9-7 12.5a7 7 0 0 0 14 0c0-3.5-3-7-7-12.5z'),
    house: P('M3 11.5 12 3.5l9 8M5.5 9.5v11h13v-11M10 20.5v-6h4v6'),
    heart: P('M12 20.5S3.5 15.3 3.5 9.3A4.5 4.5 0 0 1 12 7a4.5 4.5 0 0 1 8.5 2.3c0 6-8.5 11.2-8.5 11.2z'),
  };

  // Avatar colours (Okabe–Ito): name, the colour, and the ink drawn on it for contrast.
  var COLOURS = [['orange', '#E69F00', '#111'], ['sky', '#56B4E9', '#111'],
    ['green', '#009E73', '#111'], ['yellow', '#F0E442', '#111'], ['blue', '#0072B2', '#fff'],
    ['vermilion', '#D55E00', '#111'], ['purple', '#CC79A7', '#111'], ['grey', '#7F7F7F', '#111']];

  /** The [name, hex, ink] of an avatar colour given by name or by hex, or null. */
  function colourOf(value) {
    var v = String(value || '').toUpperCase();
    for (var i = 0; i < COLOURS.length; i++) {
      if (COLOURS[i][1] === v || COLOURS[i][0] === String(value)) return COLOURS[i];
    }
    return null;
  }

  // ---------------------------------------------------------------- DOM

  /** h('button', {class: 'btn', onclick: f}, ['text', childNode]) */
  function h(tag, attrs, kids) {
    var el = document.createElement(tag);
    if (attrs) {
      Object.keys(attrs).forEach(function (k) {
        var v = attrs[k];
        if (v == null || v === false) return;
        if (k.slice(0, 2) === 'on' && typeof v === 'function') el.addEventListener(k.slice(2), v);
        else if (k === 'class') el.className = v;
        else el.setAttribute(k, v === true ? '' : String(v));
      });
    }
    return add(el, kids);
  }
  function add(el, kids) {
    if (kids == null || kids === false) return el;
    if (!Array.isArray(kids)) kids = [kids];
    kids.forEach(function (k) {
      if (k == null || k === false) return;
      el.appendChild(typeof k === 'object' ? k : document.createTextNode(String(k)));
    });
    return el;
  }
  /** An element holding a LocalizedText for a reader of `lang`, marked with its own language
   * when that is not the reader's. */
  function ltext(tag, text, attrs, lang) {
    var entry = pickEntry(text, lang);
    var el = h(tag, attrs, entry[1]);
    if (entry[0] && entry[0] !== 'und' && baseOf(entry[0]) !== baseOf(lang)) {
      el.setAttribute('lang', htmlLang(entry[0]));
      el.setAttribute('dir', isRtl(entry[0]) ? 'rtl' : 'ltr');
    }
    return el;
  }

  // ---------------------------------------------------------------- connection

  /** How long to wait before reconnect attempt number `attempt` (0, 1, …): 0.5 s doubling to
   * 8 s, each wait 75–100 % of that so that a room's tablets do not all come back at once. */
  function backoff(attempt) {
    var base = Math.min(8000, 500 * Math.pow(2, Math.min(attempt, 5)));
    return base * (0.75 + Math.random() * 0.25);
  }

  /** The WebSocket address of `path` on this page's server (or `path` itself if absolute). */
  function wsUrl(path) {
    if (/^wss?:/.test(path)) return path;
    return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + path;
  }

  window.PiiriCommon = {
    SELKO: SELKO, RTL: RTL, baseOf: baseOf, isRtl: isRtl, htmlLang: htmlLang,
    fallbackChain: fallbackChain, pickEntry: pickEntry,
    circle: circle, path: path, AVATAR_ICONS: AVATAR_ICONS, COLOURS: COLOURS, colourOf: colourOf,
    h: h, add: add, ltext: ltext, backoff: backoff, wsUrl: wsUrl,
  };
}());
