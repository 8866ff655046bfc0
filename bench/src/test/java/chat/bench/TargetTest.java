package chat.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The options every mode shares, parsed as picocli parses them; no socket. */
class TargetTest {

    /** {@code chat-bench fanout} with {@code args}, parsed and not run. */
    private static Target fanout(String... args) {
        FanoutCommand command = new FanoutCommand();
        new CommandLine(command).parseArgs(args);
        return command.target;
    }

    @Test
    void onePortIsOneServerAsBefore() {
        Target t = fanout("--port", "7788", "--server-pid", "42");
        assertThat(t.address()).isEqualTo(new InetSocketAddress("127.0.0.1", 7788));
        assertThat(t.addresses()).containsExactly(new InetSocketAddress("127.0.0.1", 7788));
        assertThat(t.serverPid()).isEqualTo(42);
        assertThat(t.serverPidList()).containsExactly(42);
    }

    @Test
    void aCommaSeparatedListIsSeveralServersInTheOrderGiven() {
        Target t = fanout("--host", "127.0.0.2", "--port", "7001,7002,7003", "--server-pid", "11,12,13,14");
        assertThat(t.addresses()).containsExactly(new InetSocketAddress("127.0.0.2", 7001),
                new InetSocketAddress("127.0.0.2", 7002), new InetSocketAddress("127.0.0.2", 7003));
        assertThat(t.serverPid()).isEqualTo(11);
        assertThat(t.serverPidList()).containsExactly(11, 12, 13, 14);
    }

    @Test
    void aModeThatTalksToOneServerRefusesAList() {
        Target t = fanout("--port", "7001,7002");
        assertThatThrownBy(t::address).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one --port");
    }

    @Test
    void theTlsProviderIsBoringSslWhereItLoadsUnlessTold() {
        ClientTls.Provider here = io.netty.handler.ssl.OpenSsl.isAvailable() ? ClientTls.Provider.OPENSSL : ClientTls.Provider.JDK;
        assertThat(fanout("--port", "7001", "--tls").tlsProvider()).isEqualTo(here);
        assertThat(fanout("--port", "7001", "--tls", "--tls-provider", "jdk").tlsProvider()).isEqualTo(ClientTls.Provider.JDK);
        assertThat(fanout("--port", "7001", "--tls", "--tls-provider", "OpenSSL").tlsProvider())
                .isEqualTo(ClientTls.Provider.OPENSSL);
        assertThatThrownBy(() -> fanout("--port", "7001", "--tls-provider", "nss").tlsProvider())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("openssl or jdk");
    }

    @Test
    void plaintextMakesNoTlsWhateverTheProvider() {
        Target t = fanout("--port", "7001", "--tls-provider", "openssl");
        assertThat(t.tls()).isNull();
        assertThat(t.tlsSummary()).isEmpty();
        t.close();
    }

    @Test
    void noPidIsNoProcessToWatch() {
        Target t = fanout("--port", "7001");
        assertThat(t.serverPid()).isZero();
        assertThat(t.serverPidList()).isEmpty();
    }

    @Test
    void everyPortAndPidIsChecked() {
        assertThatThrownBy(() -> fanout("--port", "7001,0").addresses()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fanout("--port", "7001,70000").addresses()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fanout("--port", "7001", "--server-pid", "5,-1").serverPidList())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> fanout("--host", "10.0.0.1", "--port", "7001,7002").addresses())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void connectionsGoRoundRobinAndTheCountsDifferByOneAtMost() {
        assertThat(List.of(0, 1, 2, 3, 4, 5, 6).stream().map(i -> Target.serverOf(i, 3)))
                .containsExactly(0, 1, 2, 0, 1, 2, 0);
        int[] perServer = new int[3];
        for (int i = 0; i < 3_001; i++) {
            perServer[Target.serverOf(i, 3)]++;
        }
        assertThat(perServer).containsExactly(1_001, 1_000, 1_000);
        assertThat(Target.serverOf(12, 1)).isZero();
        assertThatThrownBy(() -> Target.serverOf(0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
