package chat.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import chat.client.ChatClient;
import chat.client.ClientOptions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The project's own console client, driven through its standard input and output. */
class ConsoleClientTest {

    @RegisterExtension
    final RunningServer server = new RunningServer();

    @Test
    void pipedInputIsSentAndTheClientExitsZeroOnceItWasDelivered() throws Exception {
        server.start();
        try (LineClient alice = LineClient.named(server.port(), "alice")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int status = newClient("bot", "hello from a script\n/me beeps\n", out, err).run();

            assertThat(status).isZero();
            alice.awaitExact("[#lobby] bot: hello from a script");
            alice.awaitExact("[#lobby] * bot beeps");
            alice.awaitLine(l -> l.startsWith("-- bot quit"));
            String printed = out.toString(StandardCharsets.UTF_8);
            // The client's /charset and /nick come before the welcome: the room hears of bot once.
            assertThat(printed).contains("-- welcome bot;").doesNotContain("is now known as");
            assertThat(alice.lines()).noneMatch(l -> l.contains("known as bot"))
                    .filteredOn(l -> l.endsWith(" joined")).last().isEqualTo("[#lobby] -- bot joined");
            assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
        }
    }

    @Test
    void quitEndsTheSessionWithStatusZero() throws Exception {
        server.start();
        try (LineClient alice = LineClient.named(server.port(), "alice")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int status = newClient("leaver", "bye now\n/quit done here\nnever sent\n", out,
                    new ByteArrayOutputStream()).run();
            assertThat(status).isZero();
            alice.awaitExact("-- leaver quit: done here");
            assertThat(alice.lines()).noneMatch(l -> l.contains("never sent"));
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("-- bye");
        }
    }

    @Test
    void theClientSaysSoAndExitsNonZeroWhenTheServerGoesAway() throws Exception {
        server.start();
        try (LineClient alice = LineClient.named(server.port(), "alice");
             PipedOutputStream typing = new PipedOutputStream()) {
            // Input that never ends, as from an idle user at a terminal.
            PipedInputStream stdin = new PipedInputStream(typing);
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            ChatClient client = new ChatClient(
                    new ClientOptions("127.0.0.1", server.port(), "idler", StandardCharsets.UTF_8),
                    stdin, new PrintStream(new ByteArrayOutputStream(), true),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            CompletableFuture<Integer> status = CompletableFuture.supplyAsync(client::run);
            alice.awaitExact("[#lobby] -- idler joined");

            server.onLoop(s -> {
                s.shutdown();
                return null;
            });

            assertThat(status.get(10, TimeUnit.SECONDS)).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8)).contains("closed the connection");
        }
    }

    @Test
    void theClientProcessWithStdinPipedSendsEveryLineAndExitsZero() throws Exception {
        server.start();
        try (LineClient alice = LineClient.named(server.port(), "alice")) {
            Process client = new ProcessBuilder(
                    java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), "chat.client.ClientMain",
                    "--host", "127.0.0.1", "--port", String.valueOf(server.port()), "--charset", "UTF-8")
                    .redirectErrorStream(true).start();
            try (java.io.OutputStream stdin = client.getOutputStream()) {
                stdin.write("/nick bot\nhello from a pipe\n你好\n".getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(client.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(client.exitValue()).as(output).isZero();
            alice.awaitExact("[#lobby] bot: hello from a pipe");
            alice.awaitExact("[#lobby] bot: 你好");
            // The piped /nick arrives within the setup window, or just after it.
            assertThat(output).containsPattern("-- welcome bot;|is now known as bot");
        }
    }

    private ChatClient newClient(String nick, String input, ByteArrayOutputStream out,
            ByteArrayOutputStream err) {
        return new ChatClient(
                new ClientOptions("127.0.0.1", server.port(), nick, StandardCharsets.UTF_8),
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }
}
