// Wiring: the login form, the connection, the state, history, the view and the input line.
import { Connection, webSocketUrl } from './connection.js';
import { ChatState } from './state.js';
import { History } from './history.js';
import { createHandlers } from './handlers.js';
import { View } from './view.js';
import { run, Completer } from './commands.js';
import { isChannel } from './irc.js';

const INPUT_HISTORY = 100; // lines the up arrow brings back
const $ = (id) => document.getElementById(id);

const state = new ChatState();
const conn = new Connection(webSocketUrl());
const history = new History(state, conn);
const receive = createHandlers(state, conn, history);
const view = new View(state, {
  selectBuffer: (buffer) => state.activate(buffer),
  scrolledToTop: (buffer) => history.older(buffer),
  openPrivate: (nick) => state.activate(state.open(nick, 'pm')),
});
const ctx = {
  conn, state, history,
  room: () => (state.active.kind === 'room' ? state.active.name : null),
  target: () => (state.active.kind === 'server' ? null : state.active.name),
};
let firstRoom = '';  // the room the login form asked for
let online = false;  // a drop is told once, not at every failed retry

state.addEventListener('opened', (e) => history.opened(e.detail.buffer));
conn.addEventListener('message', (e) => receive(e.detail));

conn.addEventListener('registered', (e) => {
  const { nick, account, resumed } = e.detail;
  state.nick = nick;
  state.account = account;
  state.identityChanged();
  $('login').hidden = true;
  $('chat').hidden = false;
  if (!resumed) {
    view.renderActive();
    if (firstRoom) {
      history.bringToFront(firstRoom);
      conn.send('JOIN', [firstRoom]);
    }
    $('input').focus();
    return;
  }
  // Back after a drop: the rooms we were in, then what each conversation missed.
  const rooms = [...state.buffers.values()].filter((b) => b.rejoin).map((b) => b.name);
  for (let i = 0; i < rooms.length; i += 10) conn.send('JOIN', [rooms.slice(i, i + 10).join(',')]);
  history.resume();
  state.info(state.active, 'reconnected');
});

conn.addEventListener('status', (e) => {
  const { state: now, retryInMs, reason } = e.detail;
  const labels = { connecting: 'connecting…', online: 'online', closed: 'disconnected' };
  view.setStatus(now === 'waiting' ? `reconnecting in ${Math.ceil(retryInMs / 1000)} s` : labels[now], now);
  if (now === 'waiting' || now === 'closed') {
    history.disconnected();
    for (const buffer of state.buffers.values()) {
      if (buffer.kind !== 'room') continue;
      buffer.rejoin = buffer.joined || buffer.rejoin;
      buffer.joined = false;
    }
    if (online && now === 'waiting') state.info(state.active, `connection lost${reason ? ': ' + reason : ''}; reconnecting`, 'error');
    state.emit('buffers');
  }
  if (now === 'closed' && !$('chat').hidden) showLogin(reason ? `disconnected: ${reason}` : 'disconnected');
  if (now === 'waiting' && !$('login').hidden) $('login-error').textContent = `cannot reach the server; trying again in ${Math.ceil(retryInMs / 1000)} s`;
  online = now === 'online';
});

conn.addEventListener('fatal', (e) => showLogin(e.detail.reason));

function showLogin(error) {
  $('chat').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = error;
  $('login-button').disabled = false;
}

$('login-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const nick = $('nick').value.trim();
  const room = $('room').value.trim();
  firstRoom = room && !isChannel(room) ? '#' + room : room;
  localStorage.setItem('chat.nick', nick);
  localStorage.setItem('chat.room', firstRoom);
  $('login-error').textContent = '';
  $('login-button').disabled = true;
  conn.start(nick, $('password').value);
  $('password').value = '';
});
$('nick').value = localStorage.getItem('chat.nick') ?? '';
$('room').value = localStorage.getItem('chat.room') ?? '#lobby';

// The input line: Enter sends, Tab completes, up and down bring back earlier lines.
const sent = [];
let recall = 0;
const completer = new Completer((word) => {
  if (word.startsWith('#')) {
    const rooms = [...state.buffers.values()].filter((b) => b.kind === 'room').map((b) => b.name);
    return [...new Set([...rooms, ...history.knownRooms])];
  }
  const nicks = state.active.sortedMembers().map((m) => m.nick).filter((n) => n !== state.nick);
  const privates = [...state.buffers.values()].filter((b) => b.kind === 'pm').map((b) => b.name);
  return [...new Set([...nicks, ...privates])];
});

$('input-form').addEventListener('submit', (e) => {
  e.preventDefault();
  const input = $('input');
  const line = input.value;
  if (!line) return;
  const error = run(ctx, line);
  if (error) state.info(state.active, error, 'error');
  sent.push(line);
  if (sent.length > INPUT_HISTORY) sent.shift();
  recall = sent.length;
  input.value = '';
  completer.reset();
});

$('input').addEventListener('keydown', (e) => {
  const input = e.target;
  if (e.key === 'Tab' && !e.shiftKey && !e.altKey && !e.ctrlKey && !e.metaKey) {
    e.preventDefault();
    const done = completer.complete(input.value, input.selectionStart);
    if (done) {
      input.value = done.value;
      input.setSelectionRange(done.cursor, done.cursor);
    }
    return;
  }
  completer.reset();
  if ((e.key === 'ArrowUp' || e.key === 'ArrowDown') && sent.length) {
    e.preventDefault();
    recall = Math.max(0, Math.min(sent.length, recall + (e.key === 'ArrowUp' ? -1 : 1)));
    input.value = sent[recall] ?? '';
  }
});

window.addEventListener('online', () => conn.retryNow());
// While the page is hidden the tab in front gathers unread marks too (the title shows them).
document.addEventListener('visibilitychange', () => {
  state.watching = !document.hidden;
  if (state.watching) state.activate(state.active);
});
