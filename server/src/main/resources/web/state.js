// The chat as the page knows it: buffers (the server tab, rooms, private conversations), their
// members and messages. It speaks no IRC and touches no DOM; changes are announced as events
// the view listens to.
import { fold, isChannel } from './irc.js';

/** Messages kept per buffer; older ones are dropped and can be fetched again by scrolling up. */
const MAX_MESSAGES = 2000;
const PREFIX_RANK = { '@': 0, '+': 1, '': 2 };

/**
 * One tab. Messages are kept in time order (the server's `time` tag): history fetched after a
 * reconnect slots in before live lines that overtook it.
 */
export class Buffer {
  constructor(name, kind) {
    this.name = name;
    this.kind = kind;          // 'server', 'room' or 'pm'
    this.messages = [];
    this.msgids = new Set();   // every message id held: a message arriving twice is shown once
    this.members = new Map();  // folded nick -> { nick, prefix, away, account }
    this.topic = '';
    this.joined = false;       // rooms: we are in it now (false after a kick or a lost connection)
    this.rejoin = false;       // rooms: we were in it when the connection dropped
    this.unread = 0;
    this.mentioned = false;
    this.historyDone = false;  // the server has nothing older than our oldest message
  }

  get key() {
    return fold(this.name);
  }

  /** The newest message id we hold: a resume asks for what came after it. */
  get lastMsgid() {
    for (let i = this.messages.length - 1; i >= 0; i--) if (this.messages[i].id) return this.messages[i].id;
    return null;
  }

  get oldestMsgid() {
    return this.messages.find((m) => m.id)?.id ?? null;
  }

  /** Members, operators first, then voiced, then the rest, each by name. */
  sortedMembers() {
    return [...this.members.values()].sort((a, b) =>
      PREFIX_RANK[a.prefix[0] ?? ''] - PREFIX_RANK[b.prefix[0] ?? ''] || a.nick.localeCompare(b.nick));
  }
}

export class ChatState extends EventTarget {
  constructor() {
    super();
    this.buffers = new Map();  // folded name -> Buffer, in the order they were opened
    this.nick = '';
    this.account = '';
    this.network = 'server';
    this.server = this.open('server', 'server');
    this.active = this.server;
    this.lastTime = 0;         // the newest server time seen: missed conversations are asked from it
    this.watching = true;      // the page is in view: what reaches the tab in front is read
  }

  get(name) {
    return this.buffers.get(fold(name));
  }

  open(name, kind = isChannel(name) ? 'room' : 'pm') {
    let buffer = this.get(name);
    if (!buffer) {
      buffer = new Buffer(name, kind);
      this.buffers.set(buffer.key, buffer);
      this.emit('buffers');
      this.emit('opened', { buffer });
    }
    return buffer;
  }

  close(buffer) {
    if (buffer === this.server) return;
    this.buffers.delete(buffer.key);
    if (this.active === buffer) this.activate(this.server);
    this.emit('buffers');
  }

  rename(buffer, name) {
    this.buffers.delete(buffer.key);
    buffer.name = name;
    this.buffers.set(buffer.key, buffer);
    this.emit('buffers');
  }

  activate(buffer) {
    this.active = buffer;
    buffer.unread = 0;
    buffer.mentioned = false;
    this.emit('active', { buffer });
    this.emit('buffers');
  }

  /**
   * Adds a message ({ id, time, type, nick, text, history, self, mention }) in time order.
   * Returns false for one already held (same msgid).
   */
  add(buffer, message) {
    if (message.id) {
      if (buffer.msgids.has(message.id)) return false;
      buffer.msgids.add(message.id);
    }
    const list = buffer.messages;
    let at = list.length;
    // Live lines go at the end, in the order the server sent them; history slots in by time.
    if (message.history) while (at > 0 && list[at - 1].time > message.time) at--;
    list.splice(at, 0, message);
    if (message.time > this.lastTime && message.id) this.lastTime = message.time;
    if (list.length > MAX_MESSAGES) {
      for (const dropped of list.splice(0, list.length - MAX_MESSAGES)) buffer.msgids.delete(dropped.id);
      buffer.historyDone = false;
      this.emit('trimmed', { buffer });
    }
    if ((buffer !== this.active || !this.watching) && !message.history && !message.self && message.type !== 'info') {
      buffer.unread++;
      buffer.mentioned ||= message.mention || buffer.kind === 'pm';
      this.emit('buffers');
    }
    this.emit('message', { buffer, message, index: list.indexOf(message) });
    return true;
  }

  /** A line from the page or the server about something, not said by anyone. */
  info(buffer, text, type = 'info', time = Date.now()) {
    this.add(buffer, { id: null, time, type, nick: '', text, history: false, self: false, mention: false });
  }

  edit(buffer, message) {
    this.emit('edited', { buffer, message });
  }

  membersChanged(buffer) {
    this.emit('members', { buffer });
  }

  topicChanged(buffer) {
    this.emit('topic', { buffer });
  }

  /** Everything else changes with a redraw of the header: our nick, account, the network name. */
  identityChanged() {
    this.emit('identity');
  }

  emit(type, detail = {}) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
