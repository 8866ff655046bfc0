package chat.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WebFilesTest {

    @Test
    void theIndexIsAlsoTheRootAndEachFileHasItsType() {
        WebFiles files = WebFiles.of(Map.of("index.html", new byte[] {1}, "img/logo.svg", new byte[] {2}, "x.bin", new byte[0]));
        assertThat(files.find("/")).isSameAs(files.find("/index.html"));
        assertThat(files.find("/img/logo.svg").contentType()).isEqualTo("image/svg+xml");
        assertThat(files.find("/x.bin").contentType()).isEqualTo("application/octet-stream");
        assertThat(files.find("/img")).isNull();
        assertThat(files.size()).isEqualTo(3);
    }

    @Test
    void anEntityTagChangesWithTheContent() {
        WebFiles a = WebFiles.of(Map.of("a.js", "1".getBytes()));
        WebFiles b = WebFiles.of(Map.of("a.js", "2".getBytes()));
        assertThat(a.find("/a.js").etag()).startsWith("\"").endsWith("\"").isNotEqualTo(b.find("/a.js").etag());
    }

    @Test
    void theBundleIsReadFromTheClassPath() {
        // Whatever the bundle holds, an index is served at the root once there is one.
        WebFiles bundled = WebFiles.bundled();
        assertThat(bundled.find("/") == null).isEqualTo(bundled.find("/index.html") == null);
    }
}
