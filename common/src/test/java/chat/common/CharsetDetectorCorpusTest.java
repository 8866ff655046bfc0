package chat.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Measures {@link CharsetDetector} on the labelled corpus in {@code charset-corpus/} (short chat
 * lines, stored in UTF-8, encoded here into the charset each is labelled with) and prints the
 * confusion tables that docs/charset-detection.md reports: one line per fresh detector, and
 * conversations of {@link #CONVERSATION} consecutive lines per fresh detector. The floors sit just
 * under what was measured, so a change that makes detection worse fails here.
 */
class CharsetDetectorCorpusTest {

    /** Lines per conversation: the detector sees up to this many before the verdict is read. */
    private static final int CONVERSATION = 3;
    private static final String STAY = "stay UTF-8";
    private static final List<String> COLUMNS =
            List.of("GB18030", "Big5", "Shift_JIS", "EUC-KR", "windows-1252", STAY);

    /** A true charset, the corpus files written in its language, and the right verdict. */
    private record Label(String charset, List<String> files, String expected) {
    }

    private static final List<String> ALL_FILES = List.of("zh-hans", "zh-hant", "ja", "ko", "latin");
    private static final List<Label> LABELS = List.of(
            new Label("GB18030", List.of("zh-hans"), "GB18030"),
            new Label("Big5", List.of("zh-hant"), "Big5"),
            new Label("Shift_JIS", List.of("ja"), "Shift_JIS"),
            new Label("EUC-KR", List.of("ko"), "EUC-KR"),
            new Label("windows-1252", List.of("latin"), "windows-1252"),
            new Label("EUC-JP", List.of("ja"), STAY),
            new Label("UTF-8", ALL_FILES, STAY));

    private static int[][] perLine;
    private static int[][] perConversation;

    @BeforeAll
    static void measure() throws IOException {
        perLine = new int[LABELS.size()][COLUMNS.size()];
        perConversation = new int[LABELS.size()][COLUMNS.size()];
        for (int row = 0; row < LABELS.size(); row++) {
            Label label = LABELS.get(row);
            List<byte[]> lines = encodedLines(label);
            for (int start = 0; start < lines.size(); start++) {
                perLine[row][column(verdict(lines, start, 1))]++;
                perConversation[row][column(verdict(lines, start, CONVERSATION))]++;
            }
        }
        System.out.println("Per line (rows: true charset, columns: decision)");
        System.out.print(table(perLine));
        System.out.println("Per conversation of " + CONVERSATION + " consecutive lines");
        System.out.print(table(perConversation));
    }

    @Test
    void nothingButGbkTextIsEverTakenForGb18030() {
        for (int row = 1; row < LABELS.size(); row++) {
            assertThat(perLine[row][0]).as("%s lines taken for GB18030", LABELS.get(row).charset()).isZero();
            assertThat(perConversation[row][0]).as("%s conversations", LABELS.get(row).charset()).isZero();
        }
    }

    @Test
    void whenUnsureItStaysOnUtf8RatherThanGuessWrong() {
        assertThat(wrongSwitches(perLine)).isZero();
        assertThat(wrongSwitches(perConversation)).isZero();
    }

    @Test
    void utf8AndEucJpNeverSwitch() {
        assertThat(perLine[row("UTF-8")][column(STAY)]).isEqualTo(total(perLine[row("UTF-8")]));
        assertThat(perLine[row("EUC-JP")][column(STAY)]).isEqualTo(total(perLine[row("EUC-JP")]));
        assertThat(perConversation[row("EUC-JP")][column(STAY)])
                .isEqualTo(total(perConversation[row("EUC-JP")]));
    }

    @Test
    void recallFloors() {
        assertThat(recall(perLine, "GB18030")).isGreaterThanOrEqualTo(0.85);
        assertThat(recall(perLine, "Big5")).isGreaterThanOrEqualTo(0.90);
        assertThat(recall(perLine, "Shift_JIS")).isGreaterThanOrEqualTo(0.95);
        assertThat(recall(perLine, "EUC-KR")).isGreaterThanOrEqualTo(0.85);
        assertThat(recall(perLine, "windows-1252")).isGreaterThanOrEqualTo(0.95);
        for (String charset : List.of("GB18030", "Big5", "Shift_JIS", "EUC-KR", "windows-1252")) {
            assertThat(recall(perConversation, charset)).as(charset).isGreaterThanOrEqualTo(0.95);
        }
    }

    @Test
    void accuracyFloors() {
        assertThat(accuracy(perLine)).isGreaterThanOrEqualTo(0.96);
        assertThat(accuracy(perConversation)).isGreaterThanOrEqualTo(0.99);
    }

    /** What a fresh detector says after up to {@code count} lines from {@code start}, wrapping. */
    private static String verdict(List<byte[]> lines, int start, int count) {
        CharsetDetector detector = new CharsetDetector();
        for (int i = 0; i < count; i++) {
            byte[] line = lines.get((start + i) % lines.size());
            Charset detected = detector.offer(line, 0, line.length);
            if (detected != null) {
                return detected.name();
            }
        }
        return STAY;
    }

    private static List<byte[]> encodedLines(Label label) throws IOException {
        Charset charset = Charset.forName(label.charset());
        List<byte[]> lines = new ArrayList<>();
        for (String file : label.files()) {
            for (String text : corpus(file)) {
                assertThat(text).as("corpus lines carry non-ASCII text").matches(".*[^\\x00-\\x7F].*");
                lines.add(encode(text, charset));
            }
        }
        return lines;
    }

    private static List<String> corpus(String file) throws IOException {
        try (InputStream in = CharsetDetectorCorpusTest.class.getResourceAsStream("/charset-corpus/" + file + ".txt")) {
            assertThat(in).as(file).isNotNull();
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(line -> !line.isEmpty())
                    .toList();
            assertThat(lines).as(file).hasSizeGreaterThanOrEqualTo(40);
            return lines;
        }
    }

    /** Refuses a line the charset cannot write, so no label is ever silently wrong. */
    private static byte[] encode(String text, Charset charset) {
        try {
            ByteBuffer out = charset.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(text));
            byte[] bytes = new byte[out.remaining()];
            out.get(bytes);
            return bytes;
        } catch (CharacterCodingException e) {
            throw new AssertionError(charset + " cannot write \"" + text + "\"", e);
        }
    }

    private static int wrongSwitches(int[][] table) {
        int wrong = 0;
        for (int row = 0; row < LABELS.size(); row++) {
            for (int col = 0; col < COLUMNS.size(); col++) {
                boolean switched = !COLUMNS.get(col).equals(STAY);
                if (switched && !COLUMNS.get(col).equals(LABELS.get(row).expected())) {
                    wrong += table[row][col];
                }
            }
        }
        return wrong;
    }

    private static double recall(int[][] table, String charset) {
        int row = row(charset);
        return (double) table[row][column(charset)] / total(table[row]);
    }

    private static double accuracy(int[][] table) {
        int right = 0;
        int all = 0;
        for (int row = 0; row < LABELS.size(); row++) {
            right += table[row][column(LABELS.get(row).expected())];
            all += total(table[row]);
        }
        return (double) right / all;
    }

    private static String table(int[][] table) {
        StringBuilder out = new StringBuilder("| true \\ decided |");
        COLUMNS.forEach(c -> out.append(' ').append(c).append(" |"));
        out.append(" samples | right |\n|---|");
        COLUMNS.forEach(c -> out.append("---:|"));
        out.append("---:|---:|\n");
        for (int row = 0; row < LABELS.size(); row++) {
            Label label = LABELS.get(row);
            out.append("| ").append(label.charset()).append(" |");
            for (int count : table[row]) {
                out.append(' ').append(count).append(" |");
            }
            int right = table[row][column(label.expected())];
            out.append(' ').append(total(table[row])).append(" | ")
                    .append(String.format("%.1f%%", 100.0 * right / total(table[row]))).append(" |\n");
        }
        out.append(String.format("overall right: %.1f%%, wrong switches: %d%n", 100 * accuracy(table),
                wrongSwitches(table)));
        return out.toString();
    }

    private static int row(String charset) {
        for (int row = 0; row < LABELS.size(); row++) {
            if (LABELS.get(row).charset().equals(charset)) {
                return row;
            }
        }
        throw new IllegalArgumentException(charset);
    }

    private static int column(String decision) {
        int col = COLUMNS.indexOf(decision);
        if (col < 0) {
            throw new AssertionError("the detector chose " + decision + ", which is not a candidate");
        }
        return col;
    }

    private static int total(int[] counts) {
        int sum = 0;
        for (int count : counts) {
            sum += count;
        }
        return sum;
    }
}
