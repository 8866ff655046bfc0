package chat.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import chat.server.net.HttpRequestHead;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebResponderTest {

    private static final byte[] INDEX = "<!doctype html><title>chat</title>".getBytes(StandardCharsets.UTF_8);
    private final WebFiles files = WebFiles.of(Map.of("index.html", INDEX, "app.js", "export {};".getBytes(),
            "style.css", "body{}".getBytes()));
    private final WebResponder responder = new WebResponder(files, List.of(), () -> "Wed, 02 Dec 2026 04:00:00 GMT");

    private static HttpRequestHead request(String requestLine, String... headers) throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(requestLine);
        lines.addAll(List.of(headers));
        return HttpRequestHead.parse(lines);
    }

    private WebResponder.Response respond(String requestLine, String... headers) throws Exception {
        return (WebResponder.Response) responder.answer(request(requestLine, headers), false);
    }

    private static String text(WebResponder.Response r) {
        return new String(r.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void theRootIsTheIndexWithItsTypeAndAStrictPolicy() throws Exception {
        WebResponder.Response r = respond("GET / HTTP/1.1", "Host: chat.example:7788");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.close()).isFalse();
        assertThat(text(r)).startsWith("HTTP/1.1 200 OK\r\n")
                .contains("Content-Type: text/html; charset=utf-8\r\n", "Content-Length: " + INDEX.length + "\r\n",
                        "Content-Security-Policy: default-src 'self'; connect-src 'self';", "frame-ancestors 'none'",
                        "X-Content-Type-Options: nosniff\r\n", "Cache-Control: no-cache\r\n", "ETag: \"")
                .endsWith("\r\n\r\n" + new String(INDEX, StandardCharsets.UTF_8));
        assertThat(text(respond("GET /app.js?v=2 HTTP/1.1"))).contains("Content-Type: text/javascript; charset=utf-8");
        assertThat(text(respond("GET /style.css HTTP/1.1"))).contains("Content-Type: text/css; charset=utf-8");
    }

    @Test
    void headSendsTheHeadersAlone() throws Exception {
        WebResponder.Response r = respond("HEAD /index.html HTTP/1.1");
        assertThat(r.status()).isEqualTo(200);
        assertThat(text(r)).contains("Content-Length: " + INDEX.length).endsWith("\r\n\r\n");
    }

    @Test
    void anUnchangedFileIsNotSentAgain() throws Exception {
        String etag = files.find("/").etag();
        WebResponder.Response r = respond("GET / HTTP/1.1", "If-None-Match: \"other\", " + etag);
        assertThat(r.status()).isEqualTo(304);
        assertThat(text(r)).doesNotContain("Content-Length").endsWith("\r\n\r\n");
    }

    @Test
    void nothingOutsideTheBundleIsReachable() throws Exception {
        for (String target : List.of("/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/web/index.html", "//etc/passwd",
                "/index.html/..", "/nothing.js")) {
            assertThat(respond("GET " + target + " HTTP/1.1").status()).as(target).isEqualTo(404);
        }
        assertThat(respond("GET http://evil/ HTTP/1.1").status()).isEqualTo(400);
    }

    @Test
    void otherMethodsAreNotAllowedAndABodyClosesTheConnection() throws Exception {
        WebResponder.Response post = respond("POST / HTTP/1.1", "Content-Length: 5");
        assertThat(post.status()).isEqualTo(405);
        assertThat(text(post)).contains("Allow: GET, HEAD\r\n", "Connection: close\r\n");
        assertThat(post.close()).isTrue();
        assertThat(respond("DELETE /app.js HTTP/1.1").status()).isEqualTo(405);
    }

    @Test
    void http10AndConnectionCloseEndTheConnection() throws Exception {
        assertThat(respond("GET / HTTP/1.0").close()).isTrue();
        assertThat(respond("GET / HTTP/1.1", "Connection: close").close()).isTrue();
        assertThat(respond("GET / HTTP/1.1", "Connection: keep-alive").close()).isFalse();
        assertThat(((WebResponder.Response) responder.answer(request("GET / HTTP/1.1"), true)).close())
                .as("the last request a connection may make").isTrue();
    }

    private static final String[] UPGRADE = {"Host: 127.0.0.1:7788", "Upgrade: websocket", "Connection: keep-alive, Upgrade",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==", "Sec-WebSocket-Version: 13"};

    private WebResponder.Answer upgrade(String... extra) throws Exception {
        List<String> headers = new ArrayList<>(List.of(UPGRADE));
        headers.addAll(List.of(extra));
        return responder.answer(request("GET /ws HTTP/1.1", headers.toArray(String[]::new)), false);
    }

    @Test
    void aWebSocketHandshakeIsAcceptedWithTheRfcsKeyAndTheSubprotocolAsked() throws Exception {
        WebResponder.Answer answer = upgrade("Sec-WebSocket-Protocol: chat, binary.ircv3.net, text.ircv3.net");
        assertThat(answer).isInstanceOfSatisfying(WebResponder.Upgrade.class, u -> {
            assertThat(u.binary()).isTrue();
            assertThat(new String(u.response(), StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 101 Switching Protocols\r\n")
                    .contains("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n",
                            "Sec-WebSocket-Protocol: binary.ircv3.net\r\n");
        });
        assertThat(responder.answer(request("GET / HTTP/1.1", UPGRADE), false))
                .as("an upgrade on another path, as web IRC clients ask it").isInstanceOf(WebResponder.Upgrade.class);
        assertThat(upgrade()).isInstanceOfSatisfying(WebResponder.Upgrade.class, u -> {
            assertThat(u.binary()).as("no subprotocol: text").isFalse();
            assertThat(new String(u.response(), StandardCharsets.US_ASCII)).doesNotContain("Sec-WebSocket-Protocol");
        });
    }

    @Test
    void aBadHandshakeIsAnsweredWithTheStatusThatSaysWhy() throws Exception {
        assertThat(((WebResponder.Response) responder.answer(request("GET /ws HTTP/1.1", "Host: h"), false)).status())
                .as("no upgrade asked").isEqualTo(426);
        WebResponder.Response version = (WebResponder.Response) upgrade("Sec-WebSocket-Version: 8");
        assertThat(version.status()).isEqualTo(426);
        assertThat(text(version)).contains("Sec-WebSocket-Version: 13\r\n");
        List<String> badKey = new ArrayList<>(List.of(UPGRADE));
        badKey.set(3, "Sec-WebSocket-Key: c2hvcnQ=");
        assertThat(((WebResponder.Response) responder.answer(request("GET /ws HTTP/1.1", badKey.toArray(String[]::new)),
                false)).status()).isEqualTo(400);
        assertThat(((WebResponder.Response) responder.answer(request("POST /ws HTTP/1.1", UPGRADE), false)).status())
                .isEqualTo(405);
    }

    @Test
    void onlyTheSameOriginMayOpenTheWebSocketByDefault() throws Exception {
        assertThat(upgrade("Origin: http://127.0.0.1:7788")).isInstanceOf(WebResponder.Upgrade.class);
        assertThat(upgrade("Origin: https://evil.example")).isInstanceOfSatisfying(WebResponder.Response.class,
                r -> assertThat(r.status()).isEqualTo(403));
        assertThat(upgrade("Origin: null")).isInstanceOf(WebResponder.Response.class);
        assertThat(responder.originAllowed("https://chat.example", "chat.example:443")).isTrue();
        assertThat(responder.originAllowed("http://chat.example", "chat.example")).isTrue();
        assertThat(responder.originAllowed("http://chat.example:8080", "chat.example")).isFalse();
        assertThat(responder.originAllowed(null, "chat.example")).as("not a browser").isTrue();
    }

    @Test
    void anAllowListReplacesTheSameOriginRule() {
        WebResponder listed = new WebResponder(files, new WebOptions(true, List.of("https://Chat.Example.org"),
                WebOptions.DEFAULT_REQUEST_TIMEOUT).origins());
        assertThat(listed.originAllowed("https://chat.example.org", "other:7788")).isTrue();
        assertThat(listed.originAllowed("http://127.0.0.1:7788", "127.0.0.1:7788")).isFalse();
        assertThat(new WebResponder(files, List.of("*")).originAllowed("https://anyone", "h")).isTrue();
    }
}
