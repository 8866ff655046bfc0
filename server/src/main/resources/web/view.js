// The page: tabs, messages, members, header. Text that comes from anyone else is only ever put
// in with textContent, so markup in a message is shown as the characters it is.
import { fold } from './irc.js';

const NICK_COLOURS = 12;            // classes c0..c11 in style.css
const NEAR_TOP_PX = 40;             // scrolled this close to the top: ask for older messages
const NEAR_BOTTOM_PX = 60;          // this close to the bottom: follow new messages
const URL = /\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]'}]/g;

const $ = (id) => document.getElementById(id);

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A nick keeps its colour everywhere and across sessions: a hash of its folded form. */
export function nickColour(nick) {
  let hash = 0;
  for (const ch of fold(nick)) hash = (hash * 31 + ch.codePointAt(0)) | 0;
  return 'c' + (Math.abs(hash) % NICK_COLOURS);
}

/** Text with its web addresses as links; both made of text nodes and href, never markup. */
function linkified(text) {
  const out = document.createDocumentFragment();
  let last = 0;
  for (const match of text.matchAll(URL)) {
    out.append(text.slice(last, match.index));
    const a = el('a', '', match[0]);
    a.href = match[0];
    a.target = '_blank';
    a.rel = 'noopener noreferrer';
    out.append(a);
    last = match.index + match[0].length;
  }
  out.append(text.slice(last));
  return out;
}

export class View {
  /** handlers: { selectBuffer(buffer), scrolledToTop(buffer), openPrivate(nick) } */
  constructor(state, handlers) {
    this.state = state;
    this.handlers = handlers;
    this.nodes = new WeakMap(); // message -> its element, to insert before it or edit it
    this.messages = $('messages');
    this.timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    this.fullTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

    state.addEventListener('buffers', () => this.renderBuffers());
    state.addEventListener('active', () => this.renderActive());
    state.addEventListener('message', (e) => this.onMessage(e.detail));
    state.addEventListener('edited', (e) => this.onEdited(e.detail));
    state.addEventListener('members', (e) => e.detail.buffer === state.active && this.renderMembers());
    state.addEventListener('topic', (e) => e.detail.buffer === state.active && this.renderHeader());
    state.addEventListener('identity', () => this.renderIdentity());
    state.addEventListener('trimmed', (e) => e.detail.buffer === state.active && this.renderMessages());
    state.addEventListener('historydone', (e) => e.detail.buffer === state.active && this.markHistoryStart());

    this.messages.addEventListener('scroll', () => {
      if (this.messages.scrollTop < NEAR_TOP_PX) handlers.scrolledToTop(state.active);
    });
    $('menu-toggle').addEventListener('click', () => this.toggle('show-sidebar', 'menu-toggle'));
    $('members-toggle').addEventListener('click', () => this.toggle('show-members', 'members-toggle'));
  }

  /** Narrow screens: the room list and the member list slide over the messages. */
  toggle(className, buttonId) {
    const open = $('chat').classList.toggle(className);
    $(buttonId).setAttribute('aria-expanded', String(open));
  }

  closePanels() {
    $('chat').classList.remove('show-sidebar', 'show-members');
    $('menu-toggle').setAttribute('aria-expanded', 'false');
    $('members-toggle').setAttribute('aria-expanded', 'false');
  }

  renderBuffers() {
    const list = $('buffers');
    list.replaceChildren();
    let unread = 0;
    for (const buffer of this.state.buffers.values()) {
      const button = el('button', 'buffer ' + buffer.kind);
      button.type = 'button';
      button.append(el('span', 'name', buffer.kind === 'server' ? this.state.network : buffer.name));
      if (buffer.unread) button.append(el('span', 'unread', String(buffer.unread)));
      button.classList.toggle('active', buffer === this.state.active);
      button.classList.toggle('mentioned', buffer.mentioned);
      button.classList.toggle('has-unread', buffer.unread > 0);
      button.classList.toggle('parted', buffer.kind === 'room' && !buffer.joined);
      button.dataset.name = buffer.name;
      if (buffer === this.state.active) button.setAttribute('aria-current', 'page');
      button.addEventListener('click', () => {
        this.handlers.selectBuffer(buffer);
        this.closePanels();
      });
      const item = el('li');
      item.append(button);
      list.append(item);
      unread += buffer.mentioned ? 1 : 0;
    }
    document.title = (unread ? `(${unread}) ` : '') + 'chat';
    $('menu-toggle').classList.toggle('mentioned', unread > 0);
  }

  renderActive() {
    this.renderHeader();
    this.renderMessages();
    this.renderMembers();
    $('chat').classList.toggle('no-members', this.state.active.kind !== 'room');
  }

  renderHeader() {
    const buffer = this.state.active;
    $('buffer-name').textContent = buffer.kind === 'server' ? this.state.network : buffer.name;
    $('topic').textContent = buffer.topic;
    $('topic').title = buffer.topic;
  }

  renderIdentity() {
    $('me-nick').textContent = this.state.nick;
    $('me-account').textContent = this.state.account ? `logged in as ${this.state.account}` : 'not logged in';
    this.renderBuffers();
    if (this.state.active.kind === 'server') this.renderHeader();
  }

  setStatus(text, kind) {
    const status = $('status');
    status.textContent = text;
    status.className = 'status ' + kind;
  }

  renderMessages() {
    const buffer = this.state.active;
    const children = [];
    for (const message of buffer.messages) children.push(this.messageNode(message));
    this.messages.replaceChildren(...children);
    if (buffer.historyDone) this.markHistoryStart();
    this.messages.scrollTop = this.messages.scrollHeight;
  }

  markHistoryStart() {
    if (this.state.active.kind === 'server' || this.messages.querySelector('.history-start')) return;
    this.messages.prepend(el('div', 'history-start', 'start of history'));
  }

  onMessage({ buffer, message, index }) {
    if (buffer !== this.state.active) return;
    const box = this.messages;
    const following = box.scrollHeight - box.scrollTop - box.clientHeight < NEAR_BOTTOM_PX;
    const before = box.scrollHeight;
    const node = this.messageNode(message);
    const next = buffer.messages[index + 1];
    const nextNode = next && this.nodes.get(next);
    const inside = nextNode && nextNode.parentNode === box;
    // Lines put in above what the reader looks at push it down: scroll by as much to keep it still.
    const aboveView = inside && nextNode.offsetTop <= box.scrollTop + NEAR_TOP_PX;
    if (inside) box.insertBefore(node, nextNode);
    else box.append(node);
    if (following) box.scrollTop = box.scrollHeight;
    else if (aboveView) box.scrollTop += box.scrollHeight - before;
  }

  onEdited({ buffer, message }) {
    const node = this.nodes.get(message);
    if (buffer === this.state.active && node) node.replaceWith(this.messageNode(message));
  }

  messageNode(message) {
    const node = el('div', `msg ${message.type}`);
    node.classList.toggle('history', message.history);
    node.classList.toggle('self', message.self);
    node.classList.toggle('mention', message.mention);
    if (message.id) node.dataset.msgid = message.id;
    const time = el('time', 'time', this.timeFormat.format(message.time));
    time.dateTime = new Date(message.time).toISOString();
    time.title = this.fullTime.format(message.time) + (message.history ? ' (history)' : '');
    node.append(time);
    if (message.nick) {
      const nick = el('span', 'nick ' + nickColour(message.nick), message.nick);
      if (message.account) nick.title = `logged in as ${message.account}`;
      node.append(nick);
    }
    const text = el('span', 'text');
    if (message.audience) text.append(el('span', 'audience', `to ${message.audience}: `));
    text.append(linkified(message.text));
    node.append(text);
    this.nodes.set(message, node);
    return node;
  }

  renderMembers() {
    const buffer = this.state.active;
    const list = $('member-list');
    list.replaceChildren();
    if (buffer.kind !== 'room') return;
    const members = buffer.sortedMembers();
    $('members-count').textContent = `${members.length} ${members.length === 1 ? 'member' : 'members'}`;
    for (const member of members) {
      const button = el('button', 'member ' + nickColour(member.nick));
      button.type = 'button';
      button.append(el('span', 'prefix', member.prefix.slice(0, 1)), member.nick);
      button.classList.toggle('away', member.away);
      button.title = [member.prefix.includes('@') ? 'operator' : member.prefix.includes('+') ? 'voiced' : '',
        member.account ? `logged in as ${member.account}` : '', member.away ? 'away' : ''].filter(Boolean).join(', ');
      button.addEventListener('click', () => {
        this.handlers.openPrivate(member.nick);
        this.closePanels();
      });
      const item = el('li');
      item.append(button);
      list.append(item);
    }
  }
}
