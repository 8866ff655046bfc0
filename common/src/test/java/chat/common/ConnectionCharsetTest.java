package chat.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ConnectionCharsetTest {

    private static final Charset GBK = Charset.forName("GBK");
    private static final byte[] CHINESE_IN_GBK = "大家好，今天我们讨论一下服务器的问题".getBytes(GBK);

    private static Charset offer(ConnectionCharset charset, byte[] line) {
        return charset.detect(line, 0, line.length);
    }

    @Test
    void startsOnWhatItIsGivenAndAsciiOrUtf8LinesAreNoEvidence() {
        ConnectionCharset charset = new ConnectionCharset(TextCodec.UTF_8);
        assertThat(offer(charset, "hello".getBytes(StandardCharsets.US_ASCII))).isNull();
        assertThat(offer(charset, "你好".getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(charset.codec()).isSameAs(TextCodec.UTF_8);
        assertThat(charset.detecting()).isTrue();
    }

    @Test
    void aClearlyChineseLineSwitchesItOnceAndThenNothingIsGuessed() {
        ConnectionCharset charset = new ConnectionCharset(TextCodec.UTF_8);
        assertThat(offer(charset, CHINESE_IN_GBK)).isEqualTo(Charset.forName("GB18030"));
        assertThat(charset.codec().decode(CHINESE_IN_GBK, 0, CHINESE_IN_GBK.length)).isEqualTo("大家好，今天我们讨论一下服务器的问题");
        assertThat(charset.detecting()).isFalse();
        assertThat(offer(charset, "Müller".getBytes(StandardCharsets.ISO_8859_1))).isNull();
    }

    @Test
    void aChoiceEndsDetection() {
        ConnectionCharset charset = new ConnectionCharset(TextCodec.UTF_8);
        charset.choose(TextCodec.UTF_8);
        assertThat(offer(charset, CHINESE_IN_GBK)).isNull();
        assertThat(charset.codec()).isSameAs(TextCodec.UTF_8);
    }

    @Test
    void aConnectionThatStartsOnAnotherCharsetIsNeverDetected() {
        ConnectionCharset charset = new ConnectionCharset(new TextCodec(GBK));
        assertThat(charset.detecting()).isFalse();
        assertThat(offer(charset, CHINESE_IN_GBK)).isNull();
        assertThat(charset.codec().charset()).isEqualTo(GBK);
    }

    @Test
    void unclearEvidenceIsGivenUpOnAfterTheDetectorsLimit() {
        ConnectionCharset charset = new ConnectionCharset(TextCodec.UTF_8);
        byte[] validNowhere = {'h', 'i', (byte) 0x81, ' ', 'x'}; // 0x81 then a space: no candidate reads it
        for (int i = 0; i < CharsetDetector.MAX_UNDECIDED_LINES; i++) {
            assertThat(charset.detecting()).isTrue();
            assertThat(offer(charset, validNowhere)).isNull();
        }
        assertThat(charset.detecting()).isFalse();
        assertThat(offer(charset, CHINESE_IN_GBK)).isNull();
    }

    @Test
    void connectionsStartingOnUtf8ShareOneStateUntilOneNeedsItsOwn() {
        ConnectionCharset a = ConnectionCharset.startingWith(TextCodec.UTF_8);
        ConnectionCharset b = ConnectionCharset.startingWith(TextCodec.UTF_8);
        assertThat(a).isSameAs(b);
        assertThat(a.weighs("hello".getBytes(StandardCharsets.US_ASCII), 0, 5)).isFalse();
        assertThat(a.weighs(CHINESE_IN_GBK, 0, CHINESE_IN_GBK.length)).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> a.choose(TextCodec.UTF_8))
                .isInstanceOf(IllegalStateException.class);
        ConnectionCharset own = a.owned();
        assertThat(own).isNotSameAs(a);
        assertThat(own.owned()).isSameAs(own);
        assertThat(own.offer(CHINESE_IN_GBK, 0, CHINESE_IN_GBK.length)).isEqualTo(Charset.forName("GB18030"));
        assertThat(ConnectionCharset.startingWith(TextCodec.UTF_8).codec()).as("the shared start unchanged")
                .isSameAs(TextCodec.UTF_8);
        assertThat(ConnectionCharset.startingWith(new TextCodec(GBK))).isNotSameAs(ConnectionCharset.startingWith(new TextCodec(GBK)));
    }
}
