// Past messages (draft/chathistory): the latest on join, older ones when the user scrolls up,
// and after a reconnect what was said while we were away. Duplicates are harmless: the state
// drops a message whose msgid it holds, so overlapping answers show each message once.
import { fold, isChannel } from './irc.js';

const JOIN_LIMIT = 50;
const PAGE_LIMIT = 50;
const RESUME_LIMIT = 100;  // the server's CHATHISTORY maximum
const TARGETS_LIMIT = 50;

export class History {
  constructor(state, conn) {
    this.state = state;
    this.conn = conn;
    this.pending = new Map();  // folded target -> requests in flight, oldest first: answers come in order
    this.front = new Set();    // folded rooms the user joined by hand: shown when the JOIN arrives
    this.knownRooms = new Set(); // rooms seen in LIST replies, for completion
    this.awaySince = 0;        // the newest server time before the connection dropped
  }

  get enabled() {
    return this.conn.caps.has('draft/chathistory');
  }

  /** The user typed /join: bring that room to the front once we are in. */
  bringToFront(room) {
    this.front.add(fold(room));
  }

  wantsFront(buffer) {
    const asked = this.front.delete(buffer.key);
    return asked || this.state.active === this.state.server;
  }

  /** A room we just joined: its latest messages, or, on a rejoin, the ones we missed. */
  joined(buffer) {
    const last = buffer.lastMsgid;
    if (last) this.request(buffer.name, 'AFTER', `msgid=${last}`, RESUME_LIMIT);
    else this.request(buffer.name, 'LATEST', '*', JOIN_LIMIT);
  }

  /** A private conversation's tab was opened: its earlier messages. */
  opened(buffer) {
    if (buffer.kind === 'pm' && this.conn.registered) this.request(buffer.name, 'LATEST', '*', JOIN_LIMIT);
  }

  /** Scrolled to the top: one page older than the oldest message shown. */
  older(buffer) {
    if (buffer.kind === 'server' || buffer.historyDone || this.pending.get(buffer.key)?.length) return;
    if (buffer.kind === 'room' && !buffer.joined) return;
    const oldest = buffer.oldestMsgid;
    if (oldest) this.request(buffer.name, 'BEFORE', `msgid=${oldest}`, PAGE_LIMIT);
    else this.request(buffer.name, 'LATEST', '*', PAGE_LIMIT);
  }

  /** The connection dropped: what we have is as far as we got. */
  disconnected() {
    this.awaySince = Math.max(this.awaySince, this.state.lastTime);
    this.pending.clear();
  }

  /**
   * Registered again: conversations we have open get what they missed (rooms do on their JOIN),
   * and conversations started while we were away are found by TARGETS.
   */
  resume() {
    if (!this.enabled) return;
    for (const buffer of this.state.buffers.values()) {
      if (buffer.kind !== 'pm') continue;
      const last = buffer.lastMsgid;
      if (last) this.request(buffer.name, 'AFTER', `msgid=${last}`, RESUME_LIMIT);
      else this.request(buffer.name, 'LATEST', '*', JOIN_LIMIT);
    }
    if (this.awaySince) {
      const from = new Date(this.awaySince).toISOString();
      this.conn.send('CHATHISTORY', ['TARGETS', `timestamp=${from}`, `timestamp=${new Date(Date.now() + 60000).toISOString()}`, TARGETS_LIMIT]);
    }
  }

  /** A chathistory batch for target ended with count messages. */
  arrived(target, count) {
    const queue = this.pending.get(fold(target ?? ''));
    const asked = queue?.shift();
    if (!asked) return;
    const buffer = this.state.get(target);
    if (!buffer) return;
    if (asked.kind !== 'AFTER' && count < asked.limit) {
      buffer.historyDone = true;
      this.state.emit('historydone', { buffer });
    }
    // A full page after a reconnect means there may be more: keep going until a short page.
    if (asked.kind === 'AFTER' && count >= asked.limit && buffer.lastMsgid) {
      this.request(buffer.name, 'AFTER', `msgid=${buffer.lastMsgid}`, RESUME_LIMIT);
    }
  }

  /** Conversations with messages since we went away: open a tab for each one we lack. */
  targets(list) {
    for (const { target } of list) {
      if (!isChannel(target) && !this.state.get(target)) this.state.open(target, 'pm');
    }
  }

  request(target, kind, ref, limit) {
    if (!this.enabled) return;
    const key = fold(target);
    if (!this.pending.has(key)) this.pending.set(key, []);
    this.pending.get(key).push({ kind, limit });
    this.conn.send('CHATHISTORY', [kind, target, ref, String(limit)]);
  }
}
