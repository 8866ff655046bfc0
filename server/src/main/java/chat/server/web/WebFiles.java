package chat.server.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The web client's static files, read once at start from the {@value #FOLDER} folder of the
 * server's class path (bundled in its jar) and kept in memory: a request can only ever name one of
 * them, by its exact path, so no request reaches the file system or escapes the bundle.
 */
public final class WebFiles {

    static final String FOLDER = "web";

    /** One file: its bytes, its Content-Type, and its entity tag for revalidation. */
    public record WebFile(String path, byte[] bytes, String contentType, String etag) {
    }

    private static final Map<String, String> CONTENT_TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("json", "application/json"),
            Map.entry("webmanifest", "application/manifest+json"),
            Map.entry("txt", "text/plain; charset=utf-8"));

    /** By request path: {@code /index.html}; {@code /} is the index. */
    private final Map<String, WebFile> files;

    private WebFiles(Map<String, WebFile> files) {
        this.files = files;
    }

    /** The files bundled with the server. */
    public static WebFiles bundled() {
        return of(readBundle());
    }

    /** Files given by path (without the leading slash) and content; for tests. */
    public static WebFiles of(Map<String, byte[]> contents) {
        Map<String, WebFile> files = new TreeMap<>();
        contents.forEach((name, bytes) -> {
            String path = "/" + name;
            files.put(path, new WebFile(path, bytes, contentType(name), etag(bytes)));
        });
        WebFile index = files.get("/index.html");
        if (index != null) {
            files.put("/", index);
        }
        return new WebFiles(Map.copyOf(files));
    }

    /** The file at {@code path} (query already cut off), or null. */
    public WebFile find(String path) {
        return files.get(path);
    }

    /** How many files there are, the index counted once. */
    public int size() {
        return files.containsKey("/") ? files.size() - 1 : files.size();
    }

    static String contentType(String name) {
        int dot = name.lastIndexOf('.');
        String type = dot < 0 ? null : CONTENT_TYPES.get(name.substring(dot + 1).toLowerCase(Locale.ROOT));
        return type == null ? "application/octet-stream" : type;
    }

    private static String etag(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(digest, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the folder from the jar the server runs from, or from the build's classes directory. */
    private static Map<String, byte[]> readBundle() {
        URL folder = WebFiles.class.getClassLoader().getResource(FOLDER);
        Map<String, byte[]> contents = new TreeMap<>();
        if (folder == null) {
            return contents;
        }
        try {
            if (folder.getProtocol().equals("jar")) {
                JarURLConnection jarConnection = (JarURLConnection) folder.openConnection();
                jarConnection.setUseCaches(false);
                try (JarFile jar = jarConnection.getJarFile()) {
                    Enumeration<JarEntry> entries = jar.entries();
                    while (entries.hasMoreElements()) {
                        JarEntry entry = entries.nextElement();
                        if (!entry.isDirectory() && entry.getName().startsWith(FOLDER + "/")) {
                            try (InputStream in = jar.getInputStream(entry)) {
                                contents.put(entry.getName().substring(FOLDER.length() + 1), in.readAllBytes());
                            }
                        }
                    }
                }
            } else {
                Path root = Path.of(folder.toURI());
                try (Stream<Path> walk = Files.walk(root)) {
                    for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                        contents.put(root.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the web client's files from " + folder, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        return contents;
    }
}
