// What the user types: a line is said in the tab in front; a line starting with / is a command
// from the table below; any other /word is sent to the server as it is (/quote for the exact
// line). Tab completes command names, nicks and room names.
import { action, isChannel } from './irc.js';

const roomName = (name) => (isChannel(name) ? name : '#' + name);

/**
 * name -> [usage, help, run(ctx, args, rest)]. ctx: { conn, state, history, room(), target() }
 * where room() is the room in front (or null) and target() the room or nick in front.
 */
const COMMANDS = {
  join: ['#room [key]', 'join a room', (ctx, [room, key]) => {
    if (!room) return usage('join');
    const name = roomName(room);
    const open = ctx.state.get(name);
    if (open?.joined) return ctx.state.activate(open);
    ctx.history.bringToFront(name);
    ctx.conn.send('JOIN', key ? [name, key] : [name]);
  }],
  part: ['[#room] [reason]', 'leave a room (or close a private tab)', (ctx, args, rest) => {
    const named = args[0] && isChannel(args[0]);
    const buffer = named ? ctx.state.get(args[0]) : ctx.state.active;
    if (buffer?.kind === 'pm' || (buffer?.kind === 'room' && !buffer.joined)) return ctx.state.close(buffer);
    const room = named ? args[0] : ctx.room();
    if (!room) return 'not in a room';
    const reason = named ? rest.slice(args[0].length).trim() : rest;
    ctx.conn.send('PART', reason ? [room, reason] : [room]);
  }],
  msg: ['nick|#room text', 'send a private message (opens its tab)', (ctx, [to], rest) => {
    const text = rest.slice((to ?? '').length).trim();
    if (!to || !text) return usage('msg');
    if (!isChannel(to)) ctx.state.activate(ctx.state.open(to, 'pm'));
    say(ctx, to, text);
  }],
  query: ['nick', 'open a private tab with someone', (ctx, [nick]) => {
    if (!nick) return usage('query');
    ctx.state.activate(ctx.state.open(nick, 'pm'));
  }],
  me: ['text', 'say what you are doing', (ctx, args, rest) => {
    const target = ctx.target();
    if (!target) return 'not in a room';
    say(ctx, target, rest, true);
  }],
  notice: ['nick|#room text', 'send a notice', (ctx, [to], rest) => {
    const text = rest.slice((to ?? '').length).trim();
    if (!to || !text) return usage('notice');
    ctx.conn.send('NOTICE', [to, text]);
  }],
  nick: ['newnick', 'change your nick', (ctx, [nick]) => (nick ? void ctx.conn.send('NICK', [nick]) : usage('nick'))],
  topic: ['[text]', 'show or set the topic', (ctx, args, rest) => {
    const room = ctx.room();
    if (!room) return 'not in a room';
    ctx.conn.send('TOPIC', rest ? [room, rest] : [room]);
  }],
  away: ['[message]', 'mark yourself away, or back without a message', (ctx, args, rest) => {
    ctx.conn.send('AWAY', rest ? [rest] : []);
  }],
  who: ['[#room|mask]', 'who is in a room', (ctx, [mask]) => {
    const target = mask ?? ctx.room();
    if (!target) return usage('who');
    ctx.conn.send('WHO', [target]);
  }],
  whois: ['nick', 'who someone is', (ctx, [nick]) => (nick ? void ctx.conn.send('WHOIS', [nick]) : usage('whois'))],
  kick: ['nick [reason]', 'put someone out of the room (operators)', (ctx, [nick], rest) => {
    const room = ctx.room();
    if (!room || !nick) return usage('kick');
    const reason = rest.slice(nick.length).trim();
    ctx.conn.send('KICK', reason ? [room, nick, reason] : [room, nick]);
  }],
  mode: ['[#room] [+-modes] [args]', 'show or change modes, e.g. /mode +o bob', (ctx, args) => {
    const target = args[0] && !/^[+-]/.test(args[0]) ? args.shift() : ctx.room();
    if (!target) return usage('mode');
    ctx.conn.send('MODE', [target, ...args]);
  }],
  op: ['nick', 'make someone an operator of the room', (ctx, [nick]) => modeOn(ctx, '+o', nick)],
  deop: ['nick', 'take operator status away', (ctx, [nick]) => modeOn(ctx, '-o', nick)],
  voice: ['nick', 'let someone speak in a moderated room', (ctx, [nick]) => modeOn(ctx, '+v', nick)],
  devoice: ['nick', 'take voice away', (ctx, [nick]) => modeOn(ctx, '-v', nick)],
  invite: ['nick [#room]', 'invite someone to a room', (ctx, [nick, room]) => {
    const target = room ?? ctx.room();
    if (!nick || !target) return usage('invite');
    ctx.conn.send('INVITE', [nick, target]);
  }],
  list: ['[mask]', 'list the rooms', (ctx, [mask]) => void ctx.conn.send('LIST', mask ? [mask] : [])],
  register: ['password', 'register your nick as an account; log in with it next time', (ctx, args, rest) => {
    if (!rest) return usage('register');
    ctx.conn.send('PRIVMSG', ['NickServ', `REGISTER ${rest}`]);
  }],
  close: ['', 'close this tab (leaving its room)', (ctx) => COMMANDS.part[2](ctx, [], '')],
  quote: ['line', 'send a raw IRC line', (ctx, args, rest) => void ctx.conn.sendRaw(rest)],
  quit: ['[reason]', 'leave the chat', (ctx, args, rest) => ctx.conn.quit(rest)],
  help: ['', 'this list', (ctx) => {
    for (const [name, [use, help]] of Object.entries(COMMANDS)) ctx.state.info(ctx.state.active, `/${name} ${use} — ${help}`);
    ctx.state.info(ctx.state.active, 'Tab completes commands, nicks and rooms; //text says a line starting with /');
  }],
};

function usage(name) {
  return `usage: /${name} ${COMMANDS[name][0]}`;
}

function modeOn(ctx, change, nick) {
  const room = ctx.room();
  if (!room || !nick) return `usage: ${change} needs a nick, in a room`;
  ctx.conn.send('MODE', [room, change, nick]);
}

/**
 * Says text, cut into as many PRIVMSGs as an IRC line's 512 bytes need. Our own message is shown
 * when the server echoes it (echo-message), with its msgid and time.
 */
function say(ctx, target, text, isAction = false) {
  const room = LINE_BYTES - utf8Length(`PRIVMSG ${target} :`) - (isAction ? utf8Length(action('')) : 0);
  for (const piece of pieces(text, room)) {
    ctx.conn.send('PRIVMSG', [target, isAction ? action(piece) : piece]);
    if (!ctx.conn.caps.has('echo-message')) {
      ctx.state.add(ctx.state.open(target), { id: null, time: Date.now(), type: isAction ? 'action' : 'message',
        nick: ctx.conn.nick, text: piece, history: false, self: true, mention: false });
    }
  }
}

/** 512 bytes less CR LF; the server counts our line without tags or a source. */
const LINE_BYTES = 510;
const encoder = new TextEncoder();
const utf8Length = (text) => encoder.encode(text).length;

/** Cuts text into pieces of at most max UTF-8 bytes, between characters, at a space when one is near. */
function pieces(text, max) {
  const out = [];
  let piece = '';
  let bytes = 0;
  for (const ch of text) {
    const size = utf8Length(ch);
    if (bytes + size > max) {
      const space = piece.lastIndexOf(' ');
      const cut = space > piece.length - 40 && space > 0 ? space : piece.length;
      out.push(piece.slice(0, cut));
      piece = piece.slice(cut).trimStart();
      bytes = utf8Length(piece);
    }
    piece += ch;
    bytes += size;
  }
  out.push(piece);
  return out;
}

/** Runs one typed line; returns an error text to show, or nothing. */
export function run(ctx, line) {
  if (!line.trim()) return undefined;
  if (!ctx.conn.registered) return 'not connected; the line was not sent';
  if (!line.startsWith('/') || line.startsWith('//')) {
    const target = ctx.target();
    if (!target) return 'this tab is the server: /join a room or /msg someone';
    say(ctx, target, line.startsWith('//') ? line.slice(1) : line);
    return undefined;
  }
  const rest = line.slice(1);
  const name = rest.split(' ', 1)[0].toLowerCase();
  const args = rest.slice(name.length).trim();
  const command = COMMANDS[name];
  if (command) return command[2](ctx, args ? args.split(/\s+/) : [], args) || undefined;
  ctx.conn.sendRaw(name.toUpperCase() + (args ? ' ' + args : ''));
  return undefined;
}

export const commandNames = Object.keys(COMMANDS);

/**
 * Tab completion. Tab again (with nothing typed between) gives the next candidate; the caller
 * calls reset() on any other key.
 */
export class Completer {
  constructor(candidatesFor) {
    this.candidatesFor = candidatesFor; // (word, atStart) -> names
    this.cycle = null;                  // { start, candidates, index, end } while tabbing
  }

  reset() {
    this.cycle = null;
  }

  /** Returns { value, cursor } with the completion applied, or null when nothing fits. */
  complete(value, cursor) {
    if (!this.cycle) {
      const start = value.lastIndexOf(' ', cursor - 1) + 1;
      const word = value.slice(start, cursor);
      const atStart = start === 0;
      let candidates;
      if (atStart && word.startsWith('/')) candidates = commandNames.map((c) => '/' + c + ' ');
      else candidates = this.candidatesFor(word).map((n) => n + (atStart && !n.startsWith('#') ? ': ' : ' '));
      const lower = word.toLowerCase();
      candidates = candidates.filter((c) => c.toLowerCase().startsWith(lower));
      if (!candidates.length) return null;
      this.cycle = { start, candidates, index: -1, end: cursor };
    }
    const c = this.cycle;
    c.index = (c.index + 1) % c.candidates.length;
    const insert = c.candidates[c.index];
    const next = value.slice(0, c.start) + insert + value.slice(c.end);
    c.end = c.start + insert.length;
    return { value: next, cursor: c.end };
  }
}
