// What each IRC line from the server does to the chat state: one table from command to
// handler; numerics are numerics.js's.
import { fold, isChannel, actionText, stripFormatting } from './irc.js';
import { createNumerics } from './numerics.js';

/**
 * @param state   the ChatState
 * @param conn    the Connection (for our nick and capabilities)
 * @param history the History, told of our joins and of chathistory batches
 */
export function createHandlers(state, conn, history) {
  const batches = new Map();   // open batch ref -> { type, params, lines }
  const numeric = createNumerics(state, history);

  const self = (nick) => fold(nick) === fold(conn.nick);

  function timeOf(msg) {
    const t = msg.tags.time ? Date.parse(msg.tags.time) : NaN;
    return Number.isNaN(t) ? Date.now() : t;
  }

  /** PRIVMSG and NOTICE, live or from history: which tab, and what it looks like there. */
  function message(msg, fromHistory) {
    const [target, raw = ''] = msg.params;
    const fromServer = !msg.source.includes('!');
    const bare = target.replace(/^[@+]+(?=#)/, ''); // STATUSMSG: "@#room" is #room's operators
    let buffer;
    if (isChannel(bare)) buffer = state.open(bare, 'room');
    else if (fromServer || msg.source.endsWith('@services')) buffer = fromServer && !conn.registered ? state.server : state.active;
    else if (msg.command === 'NOTICE' && !state.get(self(msg.nick) ? target : msg.nick)) buffer = state.active;
    else buffer = state.open(self(msg.nick) ? target : msg.nick, 'pm');
    const action = actionText(raw);
    if (action === null && raw.startsWith('\x01')) return; // other CTCPs (VERSION, PING...) are not shown
    const text = stripFormatting(action ?? raw);
    const mine = self(msg.nick);
    state.add(buffer, {
      id: msg.tags.msgid || null,
      time: timeOf(msg),
      type: action !== null ? 'action' : msg.command === 'NOTICE' ? 'notice' : 'message',
      nick: fromServer ? '' : msg.nick,
      account: msg.tags.account || '',
      text,
      history: fromHistory,
      self: mine,
      mention: !mine && mentions(text, conn.nick),
      audience: bare !== target ? target : '', // STATUSMSG: "@#room" is said to #room's operators only
    });
  }

  function everyBufferWith(nick, fn) {
    for (const buffer of state.buffers.values()) {
      const member = buffer.members.get(fold(nick));
      if (member) fn(buffer, member);
    }
  }

  const table = {
    PRIVMSG: (msg) => message(msg, false),
    NOTICE: (msg) => message(msg, false),

    JOIN(msg) {
      const [room, account] = msg.params;
      const buffer = state.open(room, 'room');
      if (self(msg.nick)) {
        buffer.joined = true;
        buffer.rejoin = false;
        buffer.members.clear();
        state.info(buffer, `you joined ${room}`, 'info', timeOf(msg));
        history.joined(buffer);
        if (history.wantsFront(buffer)) state.activate(buffer);
      } else {
        state.info(buffer, `${msg.nick} joined` + (account && account !== '*' ? ` (account ${account})` : ''), 'info', timeOf(msg));
      }
      buffer.members.set(fold(msg.nick), { nick: msg.nick, prefix: '', away: false, account: account && account !== '*' ? account : '' });
      state.membersChanged(buffer);
    },

    PART(msg) {
      const buffer = state.get(msg.params[0]);
      if (!buffer) return;
      if (self(msg.nick)) {
        buffer.joined = false;
        state.close(buffer);
        return;
      }
      buffer.members.delete(fold(msg.nick));
      state.info(buffer, `${msg.nick} left` + (msg.params[1] ? `: ${msg.params[1]}` : ''), 'info', timeOf(msg));
      state.membersChanged(buffer);
    },

    KICK(msg) {
      const [room, nick, reason = ''] = msg.params;
      const buffer = state.get(room);
      if (!buffer) return;
      buffer.members.delete(fold(nick));
      if (self(nick)) {
        buffer.joined = false;
        buffer.members.clear();
        state.info(buffer, `${msg.nick} kicked you: ${reason}`, 'error', timeOf(msg));
      } else {
        state.info(buffer, `${msg.nick} kicked ${nick}: ${reason}`, 'info', timeOf(msg));
      }
      state.membersChanged(buffer);
    },

    QUIT(msg) {
      everyBufferWith(msg.nick, (buffer) => {
        buffer.members.delete(fold(msg.nick));
        state.info(buffer, `${msg.nick} quit` + (msg.params[0] ? `: ${msg.params[0]}` : ''), 'info', timeOf(msg));
        state.membersChanged(buffer);
      });
      const pm = state.get(msg.nick);
      if (pm) state.info(pm, `${msg.nick} quit`);
    },

    NICK(msg) {
      const to = msg.params[0];
      if (self(msg.nick)) {
        state.nick = to;
        state.identityChanged();
        state.info(state.active, `you are now known as ${to}`);
      }
      everyBufferWith(msg.nick, (buffer, member) => {
        buffer.members.delete(fold(msg.nick));
        member.nick = to;
        buffer.members.set(fold(to), member);
        state.info(buffer, `${msg.nick} is now known as ${to}`, 'info', timeOf(msg));
        state.membersChanged(buffer);
      });
      const pm = state.get(msg.nick);
      if (pm && !state.get(to)) state.rename(pm, to);
    },

    MODE(msg) {
      const [target, modes = '', ...args] = msg.params;
      const buffer = state.get(target);
      if (!isChannel(target) || !buffer) return;
      let adding = true;
      for (const letter of modes) {
        if (letter === '+' || letter === '-') {
          adding = letter === '+';
          continue;
        }
        // Letters with an argument (PREFIX and CHANMODES types A-C; l only when set) use one up.
        const takesArg = 'ovbeIk'.includes(letter) || (letter === 'l' && adding);
        const arg = takesArg ? args.shift() : undefined;
        const member = (letter === 'o' || letter === 'v') && buffer.members.get(fold(arg ?? ''));
        if (member) {
          const sign = letter === 'o' ? '@' : '+';
          const set = new Set(member.prefix);
          if (adding) set.add(sign);
          else set.delete(sign);
          member.prefix = ['@', '+'].filter((p) => set.has(p)).join('');
        }
      }
      state.info(buffer, `${msg.nick} sets mode ${msg.params.slice(1).join(' ')}`, 'info', timeOf(msg));
      state.membersChanged(buffer);
    },

    TOPIC(msg) {
      const buffer = state.get(msg.params[0]);
      if (!buffer) return;
      buffer.topic = msg.params[1] ?? '';
      state.info(buffer, `${msg.nick} changed the topic to: ${buffer.topic}`, 'info', timeOf(msg));
      state.topicChanged(buffer);
    },

    AWAY(msg) {
      everyBufferWith(msg.nick, (buffer, member) => {
        member.away = msg.params.length > 0;
        state.membersChanged(buffer);
      });
    },

    ACCOUNT(msg) {
      everyBufferWith(msg.nick, (buffer, member) => {
        member.account = msg.params[0] === '*' ? '' : msg.params[0];
        state.membersChanged(buffer);
      });
    },

    INVITE(msg) {
      const [nick, room] = msg.params;
      if (self(nick)) state.info(state.active, `${msg.nick} invites you to ${room}: /join ${room}`, 'notice');
      else state.info(state.get(room) ?? state.active, `${msg.nick} invited ${nick} to ${room}`);
    },

    REDACT(msg) {
      const [target, msgid] = msg.params;
      const buffer = state.get(isChannel(target) ? target : self(msg.nick) ? target : msg.nick) ?? state.get(target);
      const message = buffer?.messages.find((m) => m.id === msgid);
      if (!message) return;
      message.text = 'message deleted';
      message.type = 'deleted';
      state.edit(buffer, message);
    },

    BATCH(msg) {
      const [ref, type, ...params] = msg.params;
      if (ref.startsWith('+')) {
        batches.set(ref.slice(1), { type, params, lines: [] });
        return;
      }
      const batch = batches.get(ref.slice(1));
      batches.delete(ref.slice(1));
      if (!batch) return;
      if (batch.type === 'chathistory') {
        for (const line of batch.lines) if (line.command === 'PRIVMSG' || line.command === 'NOTICE') message(line, true);
        history.arrived(batch.params[0], batch.lines.length);
      } else if (batch.type === 'draft/chathistory-targets') {
        history.targets(batch.lines.map((line) => ({ target: line.params[1], time: Date.parse(line.params[2]) })));
      } else {
        for (const line of batch.lines) receive(line); // a batch we don't treat specially: its lines as they are
      }
    },

    ERROR(msg) {
      state.info(state.server, msg.params[0] ?? 'closed', 'error');
    },

    FAIL(msg) {
      // FAIL CHATHISTORY <code> <target>: that request is answered, with nothing.
      if (msg.params[0] === 'CHATHISTORY') history.arrived(msg.params[2], 0);
      state.info(state.active, `${msg.params[0]}: ${msg.params[msg.params.length - 1]}`, 'error');
    },
  };

  function receive(msg) {
    const batchRef = msg.tags.batch;
    if (batchRef && batches.has(batchRef)) {
      batches.get(batchRef).lines.push(msg);
      return;
    }
    const handler = table[msg.command];
    if (handler) handler(msg);
    else if (/^\d{3}$/.test(msg.command)) numeric(msg);
  }

  return receive;
}

/** Whether a text names the nick as a word (the usual way of calling someone). */
export function mentions(text, nick) {
  if (!nick) return false;
  const escaped = nick.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(^|[^\\p{L}\\p{N}_])${escaped}($|[^\\p{L}\\p{N}_])`, 'iu').test(text);
}
