// Numeric replies: what the server answers to registration and to what the user asked. Replies
// to the user (WHOIS, WHO, LIST, errors) go to the tab in front; the welcome burst, LUSERS and
// the MOTD to the server's tab.
import { fold, stripFormatting } from './irc.js';

/** Shown in the tab in front as they are: the text after our nick. */
const REPLY_NUMERICS = new Set([
  '221', '301', '305', '306', '312', '313', '314', '317', '324', '335', '341', '354', '369', '381',
  '704', '705', '706',
]);
/** Ends of lists and details nobody needs to see. */
const QUIET_NUMERICS = new Set(['315', '318', '321', '329', '333', '347', '349', '366', '368']);

function aboutServer(numeric) {
  return numeric < '300' || ['372', '375', '376', '422'].includes(numeric);
}

/** Returns the handler of numerics for this state; history learns room names from LIST. */
export function createNumerics(state, history) {
  const namesPending = new Map(); // room key -> members gathered from 353 until 366

  const table = {
    '001'(msg) {
      state.nick = msg.params[0];
      state.info(state.server, msg.params[1]);
    },

    '005'(msg) {
      const network = msg.params.find((p) => p.startsWith('NETWORK='));
      if (network) {
        state.network = network.slice('NETWORK='.length);
        state.identityChanged();
      }
    },

    '331'(msg) {
      const buffer = state.get(msg.params[1]);
      if (buffer) state.info(buffer, 'no topic is set');
    },

    '332'(msg) {
      const buffer = state.open(msg.params[1], 'room');
      buffer.topic = msg.params[2] ?? '';
      state.info(buffer, `topic: ${buffer.topic}`);
      state.topicChanged(buffer);
    },

    '353'(msg) {
      // "= #room :@nick!user@host +other": prefixes first, then the nick (userhost-in-names).
      const room = fold(msg.params[2]);
      const members = namesPending.get(room) ?? new Map();
      for (const entry of (msg.params[3] ?? '').split(' ')) {
        if (!entry) continue;
        const prefix = /^[@+]*/.exec(entry)[0];
        const nick = entry.slice(prefix.length).split('!')[0];
        members.set(fold(nick), { nick, prefix, away: false, account: '' });
      }
      namesPending.set(room, members);
    },

    '366'(msg) {
      const room = fold(msg.params[1]);
      const buffer = state.get(room);
      const members = namesPending.get(room);
      namesPending.delete(room);
      if (!buffer || !members) return;
      buffer.members = members;
      state.membersChanged(buffer);
    },

    '311'(msg) {
      const [, nick, user, host, , real = ''] = msg.params;
      state.info(state.active, `${nick} is ${user}@${host} (${real})`);
    },

    '319': (msg) => state.info(state.active, `${msg.params[1]} is in ${msg.params[2] ?? ''}`),

    '330': (msg) => state.info(state.active, `${msg.params[1]} is logged in as ${msg.params[2]}`),

    '352'(msg) {
      const [, room, user, host, , nick, flags] = msg.params;
      state.info(state.active, `${room} ${nick} (${user}@${host}) ${flags.includes('G') ? 'away' : 'here'}${flags.replace(/^[HG]/, ' ')}`);
    },

    '322'(msg) {
      const [, room, count, topic = ''] = msg.params;
      history.knownRooms.add(room);
      state.info(state.active, `${room} (${count})${topic ? ': ' + stripFormatting(topic) : ''}`);
    },

    '323': () => state.info(state.active, 'end of the room list'),

    '900'(msg) {
      state.account = msg.params[2];
      state.identityChanged();
      state.info(state.active, msg.params[3] ?? `logged in as ${state.account}`);
    },

    '901'(msg) {
      state.account = '';
      state.identityChanged();
      state.info(state.active, msg.params[msg.params.length - 1]);
    },
  };

  return function numeric(msg) {
    const text = msg.params.slice(1).join(' ');
    const handler = table[msg.command];
    if (handler) handler(msg);
    else if (QUIET_NUMERICS.has(msg.command)) return;
    else if (REPLY_NUMERICS.has(msg.command)) state.info(state.active, text);
    else if (aboutServer(msg.command)) state.info(state.server, text);
    else if (msg.command >= '400' && msg.command < '600') state.info(state.active, text, 'error');
    else state.info(state.active, text);
  };
}
