package chat.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Parser;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.Test;

/** What Tab offers, from what the state has learned. */
class ChatCompleterTest {

    private final ChatState state = new ChatState();
    private final ChatCompleter completer = new ChatCompleter(state);

    ChatCompleterTest() {
        for (String line : List.of("-- welcome alice; /help lists the commands", "[#lobby] -- alice joined",
                "-- #lobby (3): alice bob carol", "[#dev] -- alice joined", "-- now talking in #dev",
                "[#dev] dave: hi")) {
            state.apply(ServerLineParser.parse(line));
        }
    }

    private List<String> complete(String typed) {
        List<Candidate> candidates = new ArrayList<>();
        completer.complete(null, new DefaultParser().parse(typed, typed.length(), Parser.ParseContext.COMPLETE), candidates);
        return candidates.stream().map(Candidate::value).toList();
    }

    @Test
    void commandsAtTheStartOfALine() {
        List<String> offered = complete("/");
        assertTrue(offered.containsAll(List.of("/nick", "/join", "/msg", "/quit", "/help")), offered.toString());
    }

    @Test
    void nicksOfTheCurrentRoomAddressedAtTheStartAndPlainLater() {
        assertEquals(List.of("dave:"), complete("da"));
        assertEquals(List.of("dave"), complete("hello da"));
        assertEquals(List.of("dave"), complete("/msg d"));
    }

    @Test
    void moderationCommandsAndTheirNicks() {
        assertTrue(complete("/").containsAll(List.of("/kick", "/op", "/deop", "/voice", "/devoice", "/ban",
                "/unban", "/invite", "/topic", "/mode", "/away", "/whois")));
        assertEquals(List.of("dave"), complete("/kick d"));
        assertEquals(List.of("dave"), complete("/op d"));
        assertEquals(List.of("dave"), complete("/whois d"));
    }

    @Test
    void roomsAfterRoomCommands() {
        assertEquals(List.of("#lobby", "#dev"), complete("/part #"));
    }

    @Test
    void historyCommandsAndTheirRoomsAndNicks() {
        assertTrue(complete("/").containsAll(List.of("/history", "/resume", "/ids")));
        assertEquals(List.of("#lobby", "#dev", "dave"), complete("/history "));
        assertEquals(List.of("#lobby", "#dev", "dave"), complete("/resume d"));
    }
}
