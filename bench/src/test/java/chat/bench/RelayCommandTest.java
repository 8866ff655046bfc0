package chat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bare relay on 127.0.0.1: what a member sends reaches every other member, and only them. */
class RelayCommandTest {

    private Thread loop;
    private int port;

    @BeforeEach
    void start() throws Exception {
        CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
        RelayCommand relay = new RelayCommand();
        loop = new Thread(() -> {
            try {
                relay.serve(new InetSocketAddress("127.0.0.1", 0), bound::complete);
            } catch (Exception e) {
                bound.completeExceptionally(e);
            }
        }, RelayCommand.THREAD);
        loop.start();
        port = bound.get(10, TimeUnit.SECONDS).getPort();
    }

    @AfterEach
    void stop() throws InterruptedException {
        loop.interrupt();
        loop.join(10_000);
        assertThat(loop.isAlive()).isFalse();
    }

    @Test
    void aLineGoesToEveryOtherMemberBehindThePrefix() throws Exception {
        try (Socket a = new Socket("127.0.0.1", port); Socket b = new Socket("127.0.0.1", port);
                Socket c = new Socket("127.0.0.1", port)) {
            BufferedReader inA = reader(a);
            BufferedReader inB = reader(b);
            BufferedReader inC = reader(c);
            for (BufferedReader in : new BufferedReader[] {inA, inB, inC}) {
                assertThat(in.readLine()).startsWith("[#lobby] "); // the bench's proof of membership
            }
            OutputStream out = a.getOutputStream();
            out.write("hel".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            out.write("lo\nsecond\n".getBytes(StandardCharsets.US_ASCII)); // a line split across writes
            out.flush();
            assertThat(inB.readLine()).isEqualTo("[#lobby] guest-1234: hello");
            assertThat(inC.readLine()).isEqualTo("[#lobby] guest-1234: hello");
            assertThat(inB.readLine()).isEqualTo("[#lobby] guest-1234: second");
            b.getOutputStream().write("from b\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(inA.readLine()).isEqualTo("[#lobby] guest-1234: from b"); // a never hears itself
        }
    }

    @Test
    void theGeneratorRunsCleanAgainstIt() {
        int exit = new picocli.CommandLine(new FanoutCommand()).execute("--port", Integer.toString(port),
                "--receivers", "20", "--senders", "2", "--rate", "50", "--warmup", "0.2", "--duration", "0.5");
        assertThat(exit).isZero();
    }

    private static BufferedReader reader(Socket socket) throws Exception {
        socket.setSoTimeout(10_000);
        return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
    }
}
