package chat.server;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.metrics.MetricsOptions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The metrics options: off by default, and bad values refused as bad usage (exit 2) before anything starts. */
class ServerMainMetricsTest {

    @Test
    void metricsAreOffByDefault() {
        assertThat(ServerConfig.loopbackEphemeral().metrics().enabled()).isFalse();
        assertThat(MetricsOptions.none().port()).isEqualTo(-1);
        assertThat(new MetricsOptions(-1, MetricsOptions.DEFAULT_HOST, true).enabled()).as("JMX alone").isTrue();
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void aPortOutOfRangeIsBadUsage() {
        assertThat(ServerMain.run("--metrics-port", "70000")).isEqualTo(2);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void theChatPortCannotBeTheMetricsPortToo() {
        assertThat(ServerMain.run("--port", "7788", "--metrics-port", "7788")).isEqualTo(2);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void anEmptyHostIsBadUsage() {
        assertThat(ServerMain.run("--metrics-port", "0", "--metrics-host", " ")).isEqualTo(2);
    }
}
