package chat.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import net.engio.mbassy.listener.Handler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kitteh.irc.client.library.Client;
import org.kitteh.irc.client.library.event.channel.ChannelMessageEvent;
import org.kitteh.irc.client.library.event.channel.ChannelTopicEvent;
import org.kitteh.irc.client.library.event.user.PrivateMessageEvent;

/**
 * An IRC client we did not write (the Kitteh IRC Client Library, on Netty) against the server,
 * with a native user in the same room: registration and CAP negotiation as a real library does
 * them, channel state built from NAMES, messages both ways, a private message, a topic.
 */
class IrcLibraryClientTest {

    @RegisterExtension
    final RunningServer server = new RunningServer();

    /** What the library's event bus delivered, as short strings. */
    public static final class Inbox {
        final List<String> seen = new CopyOnWriteArrayList<>();

        @Handler
        public void onChannelMessage(ChannelMessageEvent event) {
            seen.add(event.getChannel().getName() + " " + event.getActor().getNick() + ": " + event.getMessage());
        }

        @Handler
        public void onPrivateMessage(PrivateMessageEvent event) {
            seen.add("pm " + event.getActor().getNick() + ": " + event.getMessage());
        }

        @Handler
        public void onTopic(ChannelTopicEvent event) {
            event.getNewTopic().getValue().ifPresent(topic -> seen.add("topic " + topic));
        }
    }

    @Test
    void aLibraryClientChatsWithANativeUserInOneRoom() throws Exception {
        server.start();
        Inbox inbox = new Inbox();
        Client kit = Client.builder().nick("kit").user("kit").realName("Kitteh Tester")
                .server().host("127.0.0.1").port(server.port(), Client.Builder.Server.SecurityType.INSECURE).then()
                .build();
        kit.getEventManager().registerEventListener(inbox);
        try (LineClient nora = LineClient.named(server.port(), "nora")) {
            kit.connect();
            kit.addChannel("#lobby");
            nora.awaitExact("[#lobby] -- kit joined");
            await().atMost(Duration.ofSeconds(10)).until(() -> kit.getChannel("#lobby")
                    .map(channel -> channel.getNicknames().contains("nora")).orElse(false));

            kit.sendMessage("#lobby", "hello from a library");
            nora.awaitExact("[#lobby] kit: hello from a library");

            nora.send("hi kit, 你好");
            nora.send("/msg kit just you");
            nora.send("/topic library day");
            await().atMost(Duration.ofSeconds(10)).until(() -> inbox.seen.containsAll(List.of(
                    "#lobby nora: hi kit, 你好", "pm nora: just you", "topic library day")));
            assertThat(kit.getChannel("#lobby").orElseThrow().getUser("nora").isPresent()).isTrue();
        } finally {
            kit.shutdown("done");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> server.onLoop(s -> s.core().user("kit")) == null);
    }
}
