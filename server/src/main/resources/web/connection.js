// The WebSocket to the chat server and the IRC session on it: capability negotiation, SASL
// login, registration, keep-alive and reconnection with backoff. Everything it receives after
// registration is handed on as 'message' events; it keeps no chat state of its own.
import { parse, format, fold, saslPlain } from './irc.js';

/** Capabilities the page uses, requested only when the server offers them. */
const WANTED_CAPS = [
  'account-notify', 'account-tag', 'away-notify', 'batch', 'draft/chathistory', 'echo-message',
  'extended-join', 'invite-notify', 'message-tags', 'draft/message-redaction', 'multi-prefix',
  'server-time', 'setname', 'userhost-in-names',
];
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 30000;
/** Silence after which we ping the server, and after which we give the socket up as dead. */
const PING_AFTER_MS = 30000;
const DEAD_AFTER_MS = 75000;
/** Login failures (RFC numerics): wrong password, too long, aborted, mechanism refused. */
const SASL_FAILURES = new Set(['902', '904', '905', '906', '908']);

export function webSocketUrl(loc = window.location) {
  return (loc.protocol === 'https:' ? 'wss://' : 'ws://') + loc.host + '/ws';
}

/**
 * Events: 'status' ({ state: connecting|online|waiting|closed, retryInMs, reason }),
 * 'registered' ({ nick, account, resumed }), 'message' (a parsed line), 'fatal' ({ reason }):
 * the login cannot succeed as given, and nothing is retried.
 */
export class Connection extends EventTarget {
  constructor(url) {
    super();
    this.url = url;
    this.ws = null;
    this.nick = '';          // the nick the server knows us by, once registered
    this.wantedNick = '';    // the nick the user picked: reconnects ask for it again
    this.password = '';      // kept only in memory, for SASL on every reconnect
    this.account = '';       // the account SASL logged us in to, '' when none
    this.caps = new Set();   // capabilities acknowledged on this socket
    this.registered = false;
    this.everRegistered = false; // a reconnect resumes; the first connection starts fresh
    this.stopped = true;     // the user quit or the login failed: no reconnect
    this.attempts = 0;       // failed connects in a row, for the backoff
    this.retryTimer = 0;
    this.keepAliveTimer = 0;
    this.lastHeard = 0;
    this.offeredCaps = new Set(); // from CAP LS, which may take several lines
    this.closeReason = '';
  }

  start(nick, password) {
    this.wantedNick = nick;
    this.password = password;
    this.stopped = false;
    this.everRegistered = false;
    this.open();
  }

  /** Sends one command; false when there is no open socket. */
  send(command, params = [], tags = {}) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(format(command, params, tags));
    return true;
  }

  /** Sends a line the user typed as it is (/quote). */
  sendRaw(line) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(line.replace(/[\r\n]+/g, ' '));
    return true;
  }

  quit(reason) {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    if (!this.send('QUIT', [reason || 'leaving'])) this.emit('status', { state: 'closed', reason: '' });
  }

  /** The browser says the network is back: skip the rest of the backoff. */
  retryNow() {
    if (!this.stopped && !this.ws) {
      clearTimeout(this.retryTimer);
      this.open();
    }
  }

  open() {
    this.emit('status', { state: 'connecting' });
    this.registered = false;
    this.caps = new Set();
    this.offeredCaps = new Set();
    this.account = '';
    this.closeReason = '';
    this.nick = this.wantedNick;
    const ws = new WebSocket(this.url, 'text.ircv3.net');
    this.ws = ws;
    ws.onopen = () => {
      this.lastHeard = Date.now();
      this.send('CAP', ['LS', '302']);
      this.send('NICK', [this.nick]);
      this.send('USER', ['web', '0', '*', this.nick]);
      this.keepAliveTimer = setInterval(() => this.keepAlive(), PING_AFTER_MS / 3);
    };
    ws.onmessage = (event) => {
      this.lastHeard = Date.now();
      if (typeof event.data === 'string') this.receive(parse(event.data));
    };
    ws.onclose = () => this.closed(ws);
  }

  keepAlive() {
    const silent = Date.now() - this.lastHeard;
    if (silent > DEAD_AFTER_MS && this.ws) {
      // On a dead network close() may wait long for the other end: count it closed now.
      const ws = this.ws;
      ws.onclose = null;
      ws.close();
      this.closed(ws);
    } else if (silent > PING_AFTER_MS) {
      this.send('PING', ['keepalive']);
    }
  }

  closed(ws) {
    if (ws !== this.ws) return;
    clearInterval(this.keepAliveTimer);
    this.ws = null;
    this.registered = false;
    if (this.stopped) {
      this.emit('status', { state: 'closed', reason: this.closeReason });
      return;
    }
    const ceiling = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** this.attempts);
    const delay = Math.round(ceiling / 2 + Math.random() * ceiling / 2); // jitter spreads a server restart's reconnects
    this.attempts++;
    this.emit('status', { state: 'waiting', retryInMs: delay, reason: this.closeReason });
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  fail(reason) {
    this.stopped = true;
    this.closeReason = reason;
    this.emit('fatal', { reason });
    this.ws?.close();
  }

  receive(msg) {
    const p = msg.params;
    switch (msg.command) {
      case 'PING':
        this.send('PONG', p);
        return;
      case 'ERROR':
        this.closeReason = p[0] || '';
        break;
      case 'CAP':
        this.negotiate(p[1], p.slice(2));
        return;
      case 'AUTHENTICATE':
        if (p[0] === '+') for (const chunk of saslPlain(this.wantedNick, this.password)) this.send('AUTHENTICATE', [chunk]);
        return;
      case '900':
        this.account = p[2];
        break;
      case '903':
      case '907':
        if (!this.registered) this.send('CAP', ['END']);
        break;
      case '001': {
        const resumed = this.everRegistered;
        this.registered = true;
        this.everRegistered = true;
        this.attempts = 0;
        this.nick = p[0];
        this.emit('status', { state: 'online' });
        this.emit('registered', { nick: this.nick, account: this.account, resumed });
        return;
      }
      case '432':
      case '433':
        if (!this.registered) return this.nickRefused(p[p.length - 1]);
        break;
      case 'NICK':
        // Handlers compare the old nick with ours, so they see the line before we change it.
        this.emit('message', msg);
        if (fold(msg.nick) === fold(this.nick)) {
          this.nick = p[0];
          this.wantedNick = p[0]; // a reconnect asks for the nick we have now
        }
        return;
      default:
        if (SASL_FAILURES.has(msg.command) && !this.registered) return this.fail(p[p.length - 1] || 'login failed');
    }
    this.emit('message', msg);
  }

  negotiate(sub, args) {
    if (sub === 'LS') {
      const more = args[0] === '*';
      for (const cap of args[args.length - 1].split(' ')) if (cap) this.offeredCaps.add(cap.split('=')[0]);
      if (more) return;
      if (this.password && !this.offeredCaps.has('sasl')) return this.fail('this server does not accept logins');
      const wanted = WANTED_CAPS.filter((c) => this.offeredCaps.has(c));
      if (this.password) wanted.push('sasl');
      if (wanted.length) this.send('CAP', ['REQ', wanted.join(' ')]);
      else this.send('CAP', ['END']);
    } else if (sub === 'ACK') {
      for (const cap of args[args.length - 1].split(' ')) {
        if (cap.startsWith('-')) this.caps.delete(cap.slice(1));
        else if (cap) this.caps.add(cap);
      }
      if (this.registered) return;
      if (this.caps.has('sasl') && this.password) this.send('AUTHENTICATE', ['PLAIN']);
      else this.send('CAP', ['END']);
    } else if (sub === 'NAK' && !this.registered) {
      if (this.password) return this.fail('this server does not accept logins');
      this.send('CAP', ['END']);
    }
  }

  /**
   * The nick is taken or invalid. On the first connection the user picks another; on a
   * reconnect our own stale connection may still hold it, so we carry on with a variant.
   */
  nickRefused(reason) {
    if (!this.everRegistered) return this.fail(reason);
    this.nick = this.nick.length < 30 ? this.nick + '_' : this.nick.slice(0, 28) + Math.floor(Math.random() * 100);
    this.send('NICK', [this.nick]);
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail }));
  }
}
