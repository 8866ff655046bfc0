package chat.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CharsetDetectorTest {

    private static final Charset GB18030 = Charset.forName("GB18030");
    private static final Charset GBK = Charset.forName("GBK");
    private static final Charset WINDOWS_1252 = Charset.forName("windows-1252");
    private static final Charset SHIFT_JIS = Charset.forName("Shift_JIS");
    private static final Charset EUC_JP = Charset.forName("EUC-JP");
    private static final Charset EUC_KR = Charset.forName("EUC-KR");

    private final CharsetDetector detector = new CharsetDetector();

    @Test
    void theTutorialClientsNiHaoInGbkIsGb18030AtOnce() {
        byte[] line = {(byte) 0xC4, (byte) 0xE3, (byte) 0xBA, (byte) 0xC3};
        assertThat(line).isEqualTo("你好".getBytes(GBK));

        assertThat(detector.offer(line, 0, line.length)).isEqualTo(GB18030);
        assertThat(detector.isSettled()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"你好", "你好，世界", "大家好", "今天天气不错", "谢谢你的帮助", "我明天去北京开会"})
    void commonShortChineseLinesInGbkSwitchOnTheFirstLine(String text) {
        assertThat(offer(text, GBK)).isEqualTo(GB18030);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Müller", "naïve", "Françoise", "café", "Grüße aus München", "¿Qué tal?"})
    void latinWordsThatLookLikeGbkBytesAreWindows1252(String text) {
        assertThat(offer(text, WINDOWS_1252)).isEqualTo(WINDOWS_1252);
    }

    @ParameterizedTest
    @ValueSource(strings = {"こんにちは", "今日はいい天気ですね", "山田太郎です、はじめまして", "草", "はい"})
    void japaneseIsNeverTakenForChinese(String text) {
        assertThat(new CharsetDetector().offer(bytes(text, SHIFT_JIS), 0, bytes(text, SHIFT_JIS).length))
                .isIn(SHIFT_JIS, null);
        assertThat(new CharsetDetector().offer(bytes(text, EUC_JP), 0, bytes(text, EUC_JP).length))
                .as("EUC-JP is weighed but never chosen")
                .isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"안녕하세요", "감사합니다", "오늘 날씨 좋네요", "네", "ㅋㅋㅋ"})
    void koreanIsNeverTakenForChinese(String text) {
        assertThat(offer(text, EUC_KR)).isIn(EUC_KR, null);
    }

    @Test
    void invalidUtf8BetweenAsciiLettersIsNotTakenForLatin() {
        byte[] garbage = {'a', (byte) 0xFF, (byte) 0xC0, 'b'}; // ÿÀ in windows-1252, no word has it
        assertThat(detector.offer(garbage, 0, garbage.length)).isNull();
        byte[] lone = {'a', (byte) 0xFF, 'b'};
        assertThat(new CharsetDetector().offer(lone, 0, lone.length)).isNull();
    }

    @Test
    void asciiAndUtf8LinesNeverSwitchAndAreNotCountedAsUndecided() {
        for (int i = 0; i < 3 * CharsetDetector.MAX_UNDECIDED_LINES; i++) {
            assertThat(offer("hello " + i, StandardCharsets.US_ASCII)).isNull();
            assertThat(offer("你好 Müller 안녕 こんにちは", StandardCharsets.UTF_8)).isNull();
        }
        assertThat(detector.isSettled()).isFalse();

        assertThat(offer("你好", GBK)).isEqualTo(GB18030);
    }

    @Test
    void weakLinesAddUpToADecision() {
        assertThat(new CharsetDetector().offer(bytes("晚安", GBK), 0, 4)).as("too little alone").isNull();

        assertThat(offer("晚安", GBK)).isNull();
        assertThat(offer("再见", GBK)).isNull();
        assertThat(offer("请稍等", GBK)).isEqualTo(GB18030);
    }

    @Test
    void givesUpAfterTheLimitAndStaysOnUtf8() {
        for (int i = 0; i < CharsetDetector.MAX_UNDECIDED_LINES; i++) {
            assertThat(detector.isSettled()).isFalse();
            assertThat(offer("ありがとうございました", EUC_JP)).isNull();
        }
        assertThat(detector.isSettled()).isTrue();

        assertThat(offer("你好，世界", GBK)).as("nothing is looked at after giving up").isNull();
    }

    @Test
    void aLineThatDecodesInNoCandidateCarriesNoEvidence() {
        byte[] garbage = {(byte) 0xFF, (byte) 0x81, 0x41}; // FF starts nothing in the CJK sets, 81 is unassigned in windows-1252
        assertThat(detector.offer(garbage, 0, garbage.length)).isNull();

        assertThat(offer("你好", GBK)).isEqualTo(GB18030);
    }

    @Test
    void aDecisionIsReturnedOnceThenTheDetectorIsSettled() {
        assertThat(offer("你好，世界", GBK)).isEqualTo(GB18030);
        assertThat(offer("Müller", WINDOWS_1252)).isNull();
        assertThat(offer("大家好", GBK)).isNull();
        assertThat(detector.isSettled()).isTrue();
    }

    @Test
    void onlyTheGivenRangeIsRead() {
        byte[] line = bytes("你好", GBK);
        byte[] framed = new byte[line.length + 4];
        framed[0] = (byte) 0xFF;
        framed[1] = 'x';
        System.arraycopy(line, 0, framed, 2, line.length);
        framed[framed.length - 2] = (byte) 0xE9; // a windows-1252 é right after the range
        framed[framed.length - 1] = '\n';

        assertThat(detector.offer(framed, 2, line.length)).isEqualTo(GB18030);
    }

    private Charset offer(String text, Charset charset) {
        byte[] line = bytes(text, charset);
        return detector.offer(line, 0, line.length);
    }

    private static byte[] bytes(String text, Charset charset) {
        return text.getBytes(charset);
    }
}
