// IRC lines as the IRCv3 WebSocket transport carries them: one message per line, no CR LF.
// Parsing and formatting only; nothing here knows about sockets or the page.

const TAG_UNESCAPES = { ':': ';', 's': ' ', '\\': '\\', 'r': '\r', 'n': '\n' };

/** Tag values are escaped on the wire (message-tags spec); unknown escapes drop the backslash. */
function unescapeTag(value) {
  return value.replace(/\\(.?)/g, (_, c) => TAG_UNESCAPES[c] ?? c);
}

function escapeTag(value) {
  return value.replace(/[\\; \r\n]/g, (c) => ({ '\\': '\\\\', ';': '\\:', ' ': '\\s', '\r': '\\r', '\n': '\\n' })[c]);
}

/**
 * Parses one line into { tags, source, nick, command, params }. `params` holds the trailing
 * parameter last, without its colon; `nick` is the part of the source before `!`.
 */
export function parse(line) {
  let rest = line;
  const tags = {};
  if (rest.startsWith('@')) {
    const end = rest.indexOf(' ');
    for (const tag of rest.slice(1, end).split(';')) {
      if (!tag) continue;
      const eq = tag.indexOf('=');
      if (eq < 0) tags[tag] = '';
      else tags[tag.slice(0, eq)] = unescapeTag(tag.slice(eq + 1));
    }
    rest = rest.slice(end + 1).trimStart();
  }
  let source = '';
  if (rest.startsWith(':')) {
    const end = rest.indexOf(' ');
    source = rest.slice(1, end);
    rest = rest.slice(end + 1).trimStart();
  }
  const params = [];
  while (rest) {
    if (rest.startsWith(':')) {
      params.push(rest.slice(1));
      break;
    }
    const end = rest.indexOf(' ');
    if (end < 0) {
      params.push(rest);
      break;
    }
    params.push(rest.slice(0, end));
    rest = rest.slice(end + 1).trimStart();
  }
  const command = (params.shift() || '').toUpperCase();
  return { tags, source, nick: source.split('!')[0], command, params };
}

/**
 * Builds a line. Only the last parameter may hold spaces or start with a colon; it gets the
 * colon when it needs one. CR and LF are cut so a pasted text cannot smuggle in a second command.
 */
export function format(command, params = [], tags = {}) {
  const clean = params.map((p) => String(p).replace(/[\r\n]+/g, ' '));
  const last = clean.length - 1;
  if (last >= 0 && (clean[last] === '' || clean[last].includes(' ') || clean[last].startsWith(':'))) {
    clean[last] = ':' + clean[last];
  }
  const tagText = Object.entries(tags).map(([k, v]) => (v === '' ? k : `${k}=${escapeTag(v)}`)).join(';');
  return (tagText ? `@${tagText} ` : '') + [command, ...clean].join(' ');
}

/** The server folds names by Unicode lower case after NFKC (CASEMAPPING=rfc8265). */
export function fold(name) {
  return name.normalize('NFKC').toLowerCase();
}

export function isChannel(name) {
  return name.startsWith('#');
}

/** A CTCP ACTION (`/me`) is the text wrapped in \x01ACTION ...\x01; returns its text or null. */
export function actionText(text) {
  const m = /^\x01ACTION(?: (.*?))?\x01?$/.exec(text);
  return m ? (m[1] ?? '') : null;
}

export function action(text) {
  return `\x01ACTION ${text}\x01`;
}

/** IRC colour and formatting codes are dropped: the page shows plain text. */
export function stripFormatting(text) {
  return text.replace(/\x03(\d{1,2}(,\d{1,2})?)?|[\x02\x0f\x11\x16\x1d\x1e\x1f]/g, '');
}

/** SASL PLAIN's answer: base64 of authzid NUL account NUL password, UTF-8, in 400-byte pieces. */
export function saslPlain(account, password) {
  const bytes = new TextEncoder().encode(`${account}\0${account}\0${password}`);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  const encoded = btoa(binary);
  const chunks = [];
  for (let i = 0; i < encoded.length; i += 400) chunks.push(encoded.slice(i, i + 400));
  if (encoded.length % 400 === 0) chunks.push('+'); // an exact multiple is ended by an empty piece
  return chunks;
}
