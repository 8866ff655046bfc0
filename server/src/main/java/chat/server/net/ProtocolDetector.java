package chat.server.net;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Decides from a connection's first bytes what it speaks, in the manner of Netty's port
 * unification: a short table of signatures, each of which says of the bytes seen so far "it is
 * me", "it cannot be me" or "too early to say". The first signature that matches wins; when
 * every signature has ruled itself out, the connection is {@link DetectedProtocol#NATIVE}; while
 * any is still undecided, more bytes are needed.
 *
 * <p>The signatures:
 * <ul>
 *   <li>TLS: a handshake record (type 22) of version 3.x, x from 0 to 4; three bytes decide.
 *   <li>HTTP: {@code METHOD SP target SP HTTP/}: the whole request line up to the version, so a
 *       chat line that starts with "GET" is not mistaken for one.
 *   <li>IRC: one of the registration verbs {@code CAP NICK USER PASS}, in any case, then a space.
 * </ul>
 * Native text is what is left: a native client's first line is chat or a slash-command, neither
 * of which looks like those. Bytes a signature has not decided on by the time
 * {@link #decideNow} is called (the detection window closed, input ended, or too many bytes)
 * are native too.
 *
 * <p>Stateless and thread-safe: the caller keeps the bytes seen so far.
 */
public final class ProtocolDetector {

    /** Most bytes looked at; an HTTP request line longer than this is taken as native text. */
    public static final int MAX_BYTES = 1024;

    /** What one signature says about the bytes seen so far. */
    enum Match { YES, NO, MORE }

    /** How a protocol's first bytes are recognized. */
    @FunctionalInterface
    interface Matcher {
        Match match(byte[] bytes, int offset, int length);
    }

    /** A protocol and how to recognize its first bytes. */
    record Signature(DetectedProtocol protocol, Matcher matcher) {
    }

    /**
     * The words with their space, as bytes: every connection's first bytes are compared with each,
     * and building them per connection was 8 % of the loop's samples while a fresh server took
     * 9,000 connections.
     */
    private static final byte[][] HTTP_METHODS = asciiWords("GET ", "HEAD ", "POST ", "PUT ", "DELETE ", "OPTIONS ",
            "CONNECT ", "PATCH ", "TRACE ");
    private static final byte[][] IRC_VERBS = asciiWords("CAP ", "NICK ", "USER ", "PASS ");
    private static final byte[] HTTP_VERSION = " HTTP/".getBytes(StandardCharsets.US_ASCII);

    /** In order: the first that says YES wins. */
    private static final List<Signature> SIGNATURES = List.of(
            new Signature(DetectedProtocol.TLS, ProtocolDetector::tlsClientHello),
            new Signature(DetectedProtocol.HTTP, ProtocolDetector::httpRequestLine),
            new Signature(DetectedProtocol.IRC, ProtocolDetector::ircRegistration));

    private ProtocolDetector() {
    }

    /**
     * What {@code length} bytes from the start of a connection say.
     *
     * @return the protocol, or null when more bytes are needed to tell
     */
    public static DetectedProtocol detect(byte[] bytes, int offset, int length) {
        // Past MAX_BYTES nothing is looked at, whoever the caller: otherwise a long request line
        // would be native read in pieces but HTTP read whole, and the verdict would hang on splits.
        int looked = Math.min(length, MAX_BYTES);
        boolean undecided = false;
        for (Signature signature : SIGNATURES) {
            switch (signature.matcher().match(bytes, offset, looked)) {
                case YES -> {
                    return signature.protocol();
                }
                case MORE -> undecided = true;
                case NO -> { }
            }
        }
        return undecided && looked < MAX_BYTES ? null : DetectedProtocol.NATIVE;
    }

    /** The verdict when no more bytes will be waited for: what matches, else native. */
    public static DetectedProtocol decideNow(byte[] bytes, int offset, int length) {
        DetectedProtocol detected = detect(bytes, offset, length);
        return detected == null ? DetectedProtocol.NATIVE : detected;
    }

    /** Content type 22 (handshake), major version 3, minor 0 (SSL 3.0) to 4 (beyond TLS 1.3). */
    private static Match tlsClientHello(byte[] bytes, int offset, int length) {
        int[] expected = {0x16, 0x03};
        for (int i = 0; i < Math.min(length, expected.length); i++) {
            if ((bytes[offset + i] & 0xFF) != expected[i]) {
                return Match.NO;
            }
        }
        if (length < 3) {
            return Match.MORE;
        }
        return (bytes[offset + 2] & 0xFF) <= 0x04 ? Match.YES : Match.NO;
    }

    /** {@code METHOD SP target SP HTTP/}, target without spaces or control characters. */
    private static Match httpRequestLine(byte[] bytes, int offset, int length) {
        Match best = Match.NO;
        for (byte[] method : HTTP_METHODS) {
            Match m = prefix(method, false, bytes, offset, length);
            if (m == Match.MORE) {
                best = Match.MORE;
            } else if (m == Match.YES) {
                return requestTargetAndVersion(bytes, offset + method.length, length - method.length);
            }
        }
        return best;
    }

    private static Match requestTargetAndVersion(byte[] bytes, int offset, int length) {
        int i = 0;
        while (i < length && (bytes[offset + i] & 0xFF) > ' ' && bytes[offset + i] != 0x7F) {
            i++;
        }
        if (i == length) {
            return Match.MORE;
        }
        if (i == 0 || bytes[offset + i] != ' ') {
            return Match.NO;
        }
        return prefix(HTTP_VERSION, false, bytes, offset + i, length - i);
    }

    /** A registration verb followed by a space, in any case. */
    private static Match ircRegistration(byte[] bytes, int offset, int length) {
        Match best = Match.NO;
        for (byte[] verb : IRC_VERBS) {
            Match m = prefix(verb, true, bytes, offset, length);
            if (m == Match.YES) {
                return m;
            }
            if (m == Match.MORE) {
                best = Match.MORE;
            }
        }
        return best;
    }

    /** Whether the bytes start with {@code expected} (ASCII, upper case if ignoring case), could still, or cannot. */
    private static Match prefix(byte[] expected, boolean ignoreCase, byte[] bytes, int offset, int length) {
        int n = Math.min(length, expected.length);
        for (int i = 0; i < n; i++) {
            int b = bytes[offset + i];
            if (ignoreCase && b >= 'a' && b <= 'z') {
                b -= 'a' - 'A';
            }
            if (b != expected[i]) {
                return Match.NO;
            }
        }
        return length >= expected.length ? Match.YES : Match.MORE;
    }

    private static byte[][] asciiWords(String... words) {
        byte[][] bytes = new byte[words.length][];
        for (int i = 0; i < words.length; i++) {
            bytes[i] = words[i].getBytes(StandardCharsets.US_ASCII);
        }
        return bytes;
    }
}
