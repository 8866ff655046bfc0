package chat.server.web;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The web client on the chat port: whether HTTP is served at all, which pages may open a
 * WebSocket to it, and how long a request head may take.
 *
 * @param enabled false ({@code --no-web}) to answer HTTP with a refusal, as before there was a web client
 * @param origins the {@code Origin}s allowed to open {@code /ws} ({@code --web-origin}); empty for
 *     the same origin only (the page this server served), {@code *} for any
 * @param requestTimeout how long a request head may take to arrive, and how long a kept-alive
 *     connection may wait for its next request
 */
public record WebOptions(boolean enabled, List<String> origins, Duration requestTimeout) {

    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);

    public WebOptions {
        origins = origins.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList();
        for (String origin : origins) {
            if (!origin.equals("*") && !origin.matches("https?://[^/\\s]+")) {
                throw new IllegalArgumentException("--web-origin takes an origin such as https://chat.example.org (scheme and"
                        + " host, no path) or *, not " + origin);
            }
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("--web-request-timeout must be positive");
        }
    }

    public static WebOptions defaults() {
        return new WebOptions(true, List.of(), DEFAULT_REQUEST_TIMEOUT);
    }

    public static WebOptions off() {
        return new WebOptions(false, List.of(), DEFAULT_REQUEST_TIMEOUT);
    }
}
