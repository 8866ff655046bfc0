package chat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MarkerTest {

    @Test
    void roundTripsSenderSequenceAndTime() {
        byte[] line = new byte[40];
        long[][] cases = {{0, 0, 0}, {1, 2, 3}, {65535, 0xFFFF_FFFFL, Long.MAX_VALUE}, {42, 123456789, -5}};
        for (long[] c : cases) {
            Marker.write(line, 5, (int) c[0], c[1], c[2]);
            assertTrue(Marker.isAt(line, 5, 5 + Marker.LENGTH));
            assertEquals(c[0], Marker.sender(line, 5));
            assertEquals(c[1], Marker.sequence(line, 5));
            assertEquals(c[2], Marker.nanos(line, 5), "nanoTime may be negative; all 64 bits survive");
        }
    }

    @Test
    void sequenceWrapsAt32Bits() {
        byte[] line = new byte[Marker.LENGTH];
        Marker.write(line, 0, 1, 0x1_0000_0007L, 0);
        assertEquals(7, Marker.sequence(line, 0));
    }

    @Test
    void isAsciiHexAfterTwoAts() {
        byte[] line = new byte[Marker.LENGTH];
        Marker.write(line, 0, 0xab, 0xcd, 0xef);
        String text = new String(line, StandardCharsets.US_ASCII);
        assertEquals("@@00ab000000cd00000000000000ef", text);
    }

    @Test
    void isFoundInAServerLineAtItsFixedDistanceFromTheEnd() {
        byte[] body = Protocol.body(63);
        Marker.write(body, 0, 3, 17, 99);
        byte[] line = ("[#lobby] guest-12: " + new String(body, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);
        int at = line.length - body.length;
        assertTrue(Marker.isAt(line, at, line.length));
        assertEquals(3, Marker.sender(line, at));
        assertEquals(17, Marker.sequence(line, at));
        assertFalse(Marker.isAt(line, 0, line.length), "a join notice or any other line is not a marker");
    }

    @Test
    void isFoundInARelayedIrcLineBeforeItsCrlf() {
        byte[] body = Protocol.body(63);
        Marker.write(body, 0, 9, 4242, 7);
        byte[] line = (":s9!~s9@127.0.0.1 PRIVMSG #lobby :" + new String(body, StandardCharsets.US_ASCII))
                .getBytes(StandardCharsets.US_ASCII); // as the framer hands it on: CRLF gone
        int at = line.length - body.length;
        assertTrue(Marker.isAt(line, at, line.length));
        assertEquals(9, Marker.sender(line, at));
        assertEquals(4242, Marker.sequence(line, at));
    }

    @Test
    void rejectsWhatIsNotAMarker() {
        byte[] line = new byte[Marker.LENGTH];
        Marker.write(line, 0, 1, 1, 1);
        assertFalse(Marker.isAt(line, 0, Marker.LENGTH - 1), "too short");
        assertFalse(Marker.isAt(line, -1, Marker.LENGTH));
        byte[] broken = line.clone();
        broken[10] = 'g';
        assertFalse(Marker.isAt(broken, 0, broken.length), "not a hex digit");
        broken = line.clone();
        broken[1] = '#';
        assertFalse(Marker.isAt(broken, 0, broken.length));
    }

    @Test
    void refusesSenderIdsThatDoNotFit() {
        byte[] line = new byte[Marker.LENGTH];
        assertThrows(IllegalArgumentException.class, () -> Marker.write(line, 0, Marker.MAX_SENDERS, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Marker.write(line, 0, -1, 0, 0));
    }
}
