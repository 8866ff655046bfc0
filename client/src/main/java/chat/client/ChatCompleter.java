package chat.client;

import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion: a command at the start of a line, a room after {@code /join}, {@code /part} and
 * {@code /who}, a room or a nick after {@code /history} and {@code /resume}, and otherwise a nick
 * from the current room as far as {@link ChatState} has seen it. A nick completed at the start of a line gets a colon, the usual way to address someone.
 *
 * <p>Called on the console thread; reads the state through its locks.
 */
final class ChatCompleter implements Completer {

    private final ChatState state;

    ChatCompleter(ChatState state) {
        this.state = state;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        List<String> words = line.words();
        int index = line.wordIndex();
        String word = line.word();
        if (index == 0 && word.startsWith("/") && !word.startsWith("//")) {
            ClientCommands.ALL.forEach(c -> candidates.add(plain(c)));
            return;
        }
        String command = index == 1 ? ClientCommands.commandOf(words.get(0)) : null;
        if (command != null && ClientCommands.TAKES_ROOM.contains(command)) {
            state.rooms().forEach(r -> candidates.add(plain(r)));
            return;
        }
        if (command != null && ClientCommands.TAKES_ROOM_OR_NICK.contains(command)) {
            state.rooms().forEach(r -> candidates.add(plain(r)));
            state.nicksInCurrentRoom().forEach(n -> candidates.add(plain(n)));
            return;
        }
        for (String nick : state.nicksInCurrentRoom()) {
            candidates.add(index == 0 ? new Candidate(nick + ":", nick, null, null, null, null, true) : plain(nick));
        }
    }

    private static Candidate plain(String value) {
        return new Candidate(value, value, null, null, null, null, true);
    }
}
