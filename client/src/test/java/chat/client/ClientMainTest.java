package chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ClientMainTest {

    @Test
    void aBadOptionPrintsItsErrorAndOneLinePointingToHelpNotTheWholeUsage() {
        PrintStream before = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            status = ClientMain.run("--port", "not-a-number");
        } finally {
            System.setErr(before);
        }
        String printed = err.toString(StandardCharsets.UTF_8);
        assertThat(status).isEqualTo(2);
        assertThat(printed).contains("--port").contains("Try 'chat-client --help' for the options.")
                .doesNotContain("Usage:");
        assertThat(printed.lines().count()).isLessThanOrEqualTo(3);
    }
}
