package chat.server.net;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Loads a JNI library the build placed among the classes, at
 * {@code native/linux-<arch>/lib<name>.so} beside the class that owns it ({@code <arch>} being
 * {@code x86_64} or {@code aarch64}, as the build script names them after {@code uname -m}).
 *
 * <p>From a directory of classes (the tests) the file is loaded where it lies; from inside a jar
 * it is first copied to a temporary file, since {@link System#load} needs a path, and that file is
 * deleted when the JVM exits. Every failure is reported as a reason, never thrown: a missing
 * library only means the caller falls back to something else.
 *
 * <p>Thread-safe; each library is loaded at most once, whichever classes ask for it.
 */
final class NativeLibraryLoader {

    /** What each library's one load said, by resource path: null when loaded, else why not. */
    private static final Map<String, String> outcomes = new HashMap<>();

    private NativeLibraryLoader() {
    }

    /**
     * Loads {@code lib<name>.so} for this platform.
     *
     * @param owner the class whose package holds the {@code native} directory
     * @param name the library's name without {@code lib} and {@code .so}
     * @return null when the library is loaded, otherwise why it is not
     */
    static synchronized String load(Class<?> owner, String name) {
        // Two classes may share a library: it is loaded once, and both get that load's outcome.
        String key = owner.getPackageName() + "/" + name;
        if (outcomes.containsKey(key)) {
            return outcomes.get(key);
        }
        String outcome = loadOnce(owner, name);
        outcomes.put(key, outcome);
        return outcome;
    }

    private static String loadOnce(Class<?> owner, String name) {
        String os = System.getProperty("os.name", "");
        if (!os.equals("Linux")) {
            return "not Linux (" + os + ")";
        }
        String arch = linuxArch(System.getProperty("os.arch", ""));
        if (arch == null) {
            return "unsupported architecture " + System.getProperty("os.arch");
        }
        String resource = "native/linux-" + arch + "/lib" + name + ".so";
        try {
            URL url = owner.getResource(resource);
            if (url == null) {
                return resource + " not found beside " + owner.getName()
                        + " (built without gcc, or on another platform)";
            }
            System.load(url.getProtocol().equals("file") ? Paths.get(url.toURI()).toString() : extract(url, name));
            return null;
        } catch (Throwable e) { // UnsatisfiedLinkError, IOException, SecurityException, ...
            return "cannot load " + resource + ": " + e;
        }
    }

    /** The directory name for a JVM's {@code os.arch}, or null for an architecture not built for. */
    private static String linuxArch(String osArch) {
        switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64":
            case "x86_64":
                return "x86_64";
            case "aarch64":
                return "aarch64";
            default:
                return null;
        }
    }

    /** Copies the library out of its jar to a temporary file, deleted when the JVM exits. */
    private static String extract(URL url, String name) throws IOException {
        Path copy = Files.createTempFile(name, ".so");
        copy.toFile().deleteOnExit();
        try (InputStream in = url.openStream()) {
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        }
        return copy.toString();
    }
}
