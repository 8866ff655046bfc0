package chat.server.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class HttpRequestHeadTest {

    @Test
    void readsTheRequestLineAndHeadersNamesInLowerCaseRepeatsJoined() throws Exception {
        HttpRequestHead head = HttpRequestHead.parse(List.of("GET /a.js?x=1 HTTP/1.1", "Host: h:1", "Accept: a",
                "ACCEPT:  b  "));
        assertThat(head.method()).isEqualTo("GET");
        assertThat(head.path()).isEqualTo("/a.js");
        assertThat(head.header("host")).isEqualTo("h:1");
        assertThat(head.header("accept")).isEqualTo("a, b");
        assertThat(head.headerHasToken("accept", "B")).isTrue();
        assertThat(head.keepAlive()).isTrue();
        assertThat(head.hasBody()).isFalse();
    }

    @Test
    void knowsWhenABodyFollows() throws Exception {
        assertThat(HttpRequestHead.parse(List.of("POST / HTTP/1.1", "Content-Length: 3")).hasBody()).isTrue();
        assertThat(HttpRequestHead.parse(List.of("POST / HTTP/1.1", "Transfer-Encoding: chunked")).hasBody()).isTrue();
        assertThat(HttpRequestHead.parse(List.of("GET / HTTP/1.1", "Content-Length: 0")).hasBody()).isFalse();
    }

    @Test
    void refusesWhatIsNotAnHttp1RequestHead() {
        for (List<String> lines : List.of(List.of("GET /"), List.of("GET / HTTP/2.0"), List.of("GET  / HTTP/1.1"),
                List.of("GET / HTTP/1.1", " folded"), List.of("GET / HTTP/1.1", "no colon"),
                List.of("GET / HTTP/1.1", "Bad Name: x"))) {
            assertThatThrownBy(() -> HttpRequestHead.parse(lines)).as("%s", lines).isInstanceOf(HttpRequestHead.Malformed.class);
        }
    }
}
