package chat.server;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The server's {@code --config FILE}: every option the command line takes, one per line as
 * {@code name = value} with the option's name without its dashes ({@code tls-cert =
 * /etc/letsencrypt/live/chat.example.org/fullchain.pem}), in the Java properties syntax (UTF-8,
 * {@code #} comments). A flag is {@code true} or {@code false}; an option given several times on
 * the command line ({@code --oper}) takes its values separated by spaces. The command line wins
 * over the file: the file only supplies defaults.
 *
 * <p>A key that names no option is refused, naming the key and the line it is on, rather than
 * ignored: a misspelt {@code max-client = 10} left silently at the default is the mistake a
 * config file invites.
 */
final class ConfigFile implements CommandLine.IDefaultValueProvider {

    /** Options that make no sense in a file: they say where the file is, or do something else than serve. */
    static final Set<String> NOT_IN_FILE = Set.of("config", "help", "version", "hash-password");

    private final Path file;
    private final Map<String, String> values;

    private ConfigFile(Path file, Map<String, String> values) {
        this.file = file;
        this.values = values;
    }

    /**
     * Reads {@code file} for the options of {@code spec}.
     *
     * @throws IllegalArgumentException the file cannot be read, or holds a key that is no option
     *     of {@code spec} (the message names the file and the key)
     */
    static ConfigFile read(Path file, CommandSpec spec) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("--config: cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<String, String> values = new TreeMap<>();
        for (String key : properties.stringPropertyNames()) {
            String name = key.strip();
            OptionSpec option = spec.findOption("--" + name);
            if (option == null || NOT_IN_FILE.contains(name)) {
                throw new IllegalArgumentException("--config: " + file + ": \"" + key + "\" is not an option the file can set"
                        + (option == null ? " (chat-server --help lists them, without their dashes here)" : ""));
            }
            values.put(name, properties.getProperty(key).strip());
        }
        return new ConfigFile(file, values);
    }

    /**
     * The {@code --config} value among {@code args}, or null: the file must be read before the
     * command line is parsed, since it supplies the defaults the parse fills in.
     */
    static Path pathIn(String... args) {
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                return Path.of(args[i + 1]);
            }
            if (args[i].startsWith("--config=")) {
                return Path.of(args[i].substring("--config=".length()));
            }
            if (args[i].equals("--")) {
                return null;
            }
        }
        return null;
    }

    Path file() {
        return file;
    }

    /** The options the file sets, by name without dashes, as written. */
    Map<String, String> values() {
        return values;
    }

    @Override
    public String defaultValue(ArgSpec argument) {
        if (!(argument instanceof OptionSpec)) {
            return null;
        }
        String name = ((OptionSpec) argument).longestName();
        return values.get(name.startsWith("--") ? name.substring(2) : name);
    }

    /** Keys in the order they should be documented: every option of {@code spec} a file may set. */
    static List<String> settableKeys(CommandSpec spec) {
        return spec.options().stream()
                .map(OptionSpec::longestName)
                .filter(name -> name.startsWith("--"))
                .map(name -> name.substring(2))
                .filter(name -> !NOT_IN_FILE.contains(name))
                .toList();
    }
}
