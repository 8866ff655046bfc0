package chat.client;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClientCommandsTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "/register s3cret", "/login alice s3cret", "/identify alice s3cret", "/password old new",
        "/unregister s3cret", "/LOGIN alice s3cret", "/Identify alice s3cret", "  /login alice s3cret",
        "/login", "/register", "/password", "/unregister", "/identify",
        "/msg NickServ IDENTIFY alice s3cret", "/msg nickserv identify s3cret", "/MSG NICKSERV register x",
        "/msg   NickServ\tidentify s3cret", "/msg NickServ", "/ns identify s3cret", "/nickserv identify s3cret"})
    void linesThatMayCarryAPasswordAreKnown(String line) {
        assertThat(ClientCommands.carriesPassword(line)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "hello", "my password is not here", "//login alice s3cret", "/msg bob login tomorrow?",
        "/msg nickservant hi", "/logout", "/loginx", "/nick alice", "/me logs in", "", "   ", "/msg"})
    void otherLinesAreNot(String line) {
        assertThat(ClientCommands.carriesPassword(line)).isFalse();
    }
}
