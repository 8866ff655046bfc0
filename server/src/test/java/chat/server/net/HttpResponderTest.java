package chat.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The metrics endpoint's HTTP, fed byte arrays: every split, the limits, the refusals. */
class HttpResponderTest {

    private static final String BODY = "# HELP chat_rooms rooms\nchat_rooms 3.0\n";
    private static final String GET = "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:9100\r\nAccept: text/plain\r\n\r\n";

    private static HttpResponder responder() {
        return new HttpResponder(() -> BODY.getBytes(StandardCharsets.UTF_8));
    }

    private static String feed(HttpResponder responder, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        byte[] answer = responder.feed(bytes, 0, bytes.length);
        return answer == null ? null : new String(answer, StandardCharsets.UTF_8);
    }

    @Test
    void getMetricsIsTheBodyInPrometheusTextFormatThenClose() {
        String answer = feed(responder(), GET);

        assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n")
                .contains("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n")
                .contains("Content-Length: " + BODY.length() + "\r\n")
                .contains("Connection: close\r\n")
                .endsWith("\r\n\r\n" + BODY);
    }

    @Test
    void aRequestSplitAtEveryPointIsAnsweredOnceWhole() {
        for (int split = 1; split < GET.length(); split++) {
            HttpResponder responder = responder();
            assertThat(feed(responder, GET.substring(0, split))).as("after %d bytes", split).isNull();
            assertThat(feed(responder, GET.substring(split))).as("split at %d", split).startsWith("HTTP/1.1 200 OK");
        }
    }

    @Test
    void aRequestOneByteAtATimeIsAnsweredAtItsBlankLine() {
        HttpResponder responder = responder();
        for (int i = 0; i < GET.length() - 1; i++) {
            assertThat(feed(responder, GET.substring(i, i + 1))).isNull();
        }
        assertThat(feed(responder, "\n")).startsWith("HTTP/1.1 200 OK");
    }

    @Test
    void bareLineFeedsAndAQueryStringAreFine() {
        assertThat(feed(responder(), "GET /metrics?name[]=chat_rooms HTTP/1.0\n\n")).startsWith("HTTP/1.1 200 OK");
    }

    @Test
    void headIsTheHeadersWithoutTheBody() {
        String answer = feed(responder(), "HEAD /metrics HTTP/1.1\r\n\r\n");

        assertThat(answer).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: " + BODY.length())
                .endsWith("Connection: close\r\n\r\n");
    }

    @Test
    void anotherPathIsNotFound() {
        assertThat(feed(responder(), "GET / HTTP/1.1\r\n\r\n")).startsWith("HTTP/1.1 404 Not Found\r\n")
                .contains("Connection: close").doesNotContain("chat_rooms");
    }

    @Test
    void anotherMethodIsNotAllowedAndSaysWhichAre() {
        assertThat(feed(responder(), "POST /metrics HTTP/1.1\r\nContent-Length: 3\r\n\r\n"))
                .startsWith("HTTP/1.1 405 Method Not Allowed\r\n").contains("Allow: GET, HEAD\r\n");
    }

    @Test
    void whatIsNoHttpRequestLineIsABadRequest() {
        assertThat(feed(responder(), "hello there\r\n\r\n")).startsWith("HTTP/1.1 400 Bad Request\r\n");
        assertThat(feed(responder(), "GET /metrics\r\n\r\n")).startsWith("HTTP/1.1 400 Bad Request\r\n");
    }

    @Test
    void aHeadOverTheLimitIsRefusedWithoutKeepingMore() {
        HttpResponder responder = responder();
        String header = "X-Filler: " + "a".repeat(1000) + "\r\n";
        String answer = feed(responder, "GET /metrics HTTP/1.1\r\n");
        for (int i = 0; answer == null && i < 20; i++) {
            answer = feed(responder, header);
        }

        assertThat(answer).startsWith("HTTP/1.1 431 Request Header Fields Too Large\r\n")
                .contains("request head over " + HttpResponder.MAX_HEAD_BYTES + " bytes");
    }

    @Test
    void oneHugeChunkIsRefusedAtOnce() {
        byte[] huge = new byte[HttpResponder.MAX_HEAD_BYTES * 4];
        java.util.Arrays.fill(huge, (byte) 'a');

        byte[] answer = responder().feed(huge, 0, huge.length);

        assertThat(new String(answer, StandardCharsets.US_ASCII)).startsWith("HTTP/1.1 431 ");
    }

    @Test
    void theTimeoutAnswerSaysHowLongWasWaited() {
        assertThat(new String(HttpResponder.timedOut(5000), StandardCharsets.US_ASCII))
                .startsWith("HTTP/1.1 408 Request Timeout\r\n").contains("within 5000 ms");
    }
}
