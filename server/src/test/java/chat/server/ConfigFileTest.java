package chat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The {@code --config} file: options from a file, the command line over it, mistakes refused by name. */
class ConfigFileTest {

    @TempDir
    Path dir;

    private Path write(String text) throws Exception {
        Path file = dir.resolve("chat.conf");
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private static ServerMain parse(String... args) {
        ServerMain main = new ServerMain();
        CommandLine command = new CommandLine(main);
        Path file = ConfigFile.pathIn(args);
        if (file != null) {
            command.setDefaultValueProvider(ConfigFile.read(file, command.getCommandSpec()));
        }
        command.parseArgs(args);
        return main;
    }

    @Test
    void theFileSetsOptionsOfEveryKind() throws Exception {
        String hash1 = chat.server.auth.PasswordHash.hash("first-secret");
        String hash2 = chat.server.auth.PasswordHash.hash("second-secret");
        Path file = write("# a comment\n"
                + "port = 7000\n"
                + "flood-rate = 2.5\n"
                + "tls-required = true\n"
                + "room = #café\n"
                + "oper = alice:" + hash1 + "   bob:" + hash2 + "\n");
        ServerMain main = parse("--config", file.toString());
        assertThat(main.port).isEqualTo(7000);
        assertThat(main.floodRate).isEqualTo(2.5);
        assertThat(main.tlsRequired).isTrue();
        assertThat(main.room).isEqualTo("#café");
        assertThat(main.opers).containsExactly("alice:" + hash1, "bob:" + hash2);
        assertThat(main.maxClients).as("what the file does not set keeps its default")
                .isEqualTo(chat.server.net.Limits.DEFAULT_MAX_CLIENTS);
    }

    @Test
    void theCommandLineWinsOverTheFile() throws Exception {
        Path file = write("port = 7000\nmax-clients = 5\n");
        ServerMain main = parse("--port", "7100", "--config=" + file);
        assertThat(main.port).isEqualTo(7100);
        assertThat(main.maxClients).isEqualTo(5);
    }

    @Test
    void aKeyThatIsNoOptionIsRefusedByName() throws Exception {
        Path file = write("port = 7000\nmax-client = 10\n");
        assertThatThrownBy(() -> parse("--config", file.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("\"max-client\" is not an option")
                .hasMessageContaining(file.toString());
    }

    @Test
    void optionsThatDoNotServeCannotBeInAFile() throws Exception {
        for (String key : new String[] {"config", "hash-password", "help"}) {
            Path file = write(key + " = true\n");
            assertThatThrownBy(() -> parse("--config", file.toString()))
                    .hasMessageContaining("\"" + key + "\" is not an option the file can set");
        }
    }

    @Test
    void aMissingFileIsRefusedWithItsName() {
        Path missing = dir.resolve("nowhere.conf");
        assertThatThrownBy(() -> parse("--config", missing.toString()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("--config: cannot read " + missing);
    }

    @Test
    void theFileIsFoundInEitherSpellingAndNotAfterTheEndOfOptions() {
        assertThat(ConfigFile.pathIn("--port", "1", "--config", "a.conf")).isEqualTo(Path.of("a.conf"));
        assertThat(ConfigFile.pathIn("--config=b.conf")).isEqualTo(Path.of("b.conf"));
        assertThat(ConfigFile.pathIn("--port", "1")).isNull();
        assertThat(ConfigFile.pathIn("--", "--config", "c.conf")).isNull();
    }

    @Test
    void aBadFileEndsTheCommandWithStatusTwo() throws Exception {
        Path file = write("no-such-option = 1\n");
        assertThat(ServerMain.run("--config", file.toString())).isEqualTo(2);
    }

    @Test
    void theCurrentConfigurationReadsTheFileAgain() throws Exception {
        Path file = write("max-clients = 5\n");
        assertThat(ServerMain.currentConfig("--config", file.toString()).limits().maxClients()).isEqualTo(5);
        Files.writeString(file, "max-clients = 7\n");
        assertThat(ServerMain.currentConfig("--config", file.toString()).limits().maxClients()).isEqualTo(7);
        Files.writeString(file, "max-clients = -1\n");
        assertThatThrownBy(() -> ServerMain.currentConfig("--config", file.toString()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    }

    /** The sample in dist/ names every option a file can set, so it cannot fall behind the options. */
    @Test
    void theSampleConfigurationNamesEveryOption() throws Exception {
        Path sample = Path.of("..", "dist", "chat-server.conf");
        String text = Files.readString(sample, StandardCharsets.UTF_8);
        for (String key : ConfigFile.settableKeys(new CommandLine(new ServerMain()).getCommandSpec())) {
            assertThat(text).as("dist/chat-server.conf mentions " + key).containsPattern("(?m)^#? ?" + java.util.regex.Pattern.quote(key) + " =");
        }
        // and as written (every line commented out or not) it is a valid file
        ConfigFile.read(sample, new CommandLine(new ServerMain()).getCommandSpec());
    }
}
