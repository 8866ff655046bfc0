package chat.common;

import org.mozilla.universalchardet.prober.distributionanalysis.Big5DistributionAnalysis;
import org.mozilla.universalchardet.prober.distributionanalysis.CharDistributionAnalysis;
import org.mozilla.universalchardet.prober.distributionanalysis.EUCJPDistributionAnalysis;
import org.mozilla.universalchardet.prober.distributionanalysis.EUCKRDistributionAnalysis;
import org.mozilla.universalchardet.prober.distributionanalysis.GB2312DistributionAnalysis;
import org.mozilla.universalchardet.prober.distributionanalysis.SJISDistributionAnalysis;

/**
 * How common a double-byte character is in the language a legacy charset was made for: its rank
 * in juniversalchardet's character frequency tables (those of Mozilla's universal charset
 * detector, built from large samples of real text), 0 being the most frequent.
 *
 * <p>Only the tables are borrowed, not the library's verdict: its probers need far more text than
 * a chat line to decide. The tables are reached through the library's own extension point, the
 * protected {@code getOrder} and {@code charToFreqOrder} of {@link CharDistributionAnalysis}, so a
 * new library version that renames them fails the build rather than the detection.
 *
 * <p>Immutable after class initialisation (the analysis objects are never fed data, only asked
 * for positions, which reads nothing but their static tables); thread-safe.
 */
final class CharFrequencyRanks {

    /** Simplified Chinese, GB2312 hanzi; GBK and GB18030 additions have no rank. */
    static final CharFrequencyRanks GB2312 = new CharFrequencyRanks(new Gb2312());
    /** Traditional Chinese, Big5. */
    static final CharFrequencyRanks BIG5 = new CharFrequencyRanks(new Big5());
    /** Japanese (kana and kanji), Shift_JIS byte layout. */
    static final CharFrequencyRanks SHIFT_JIS = new CharFrequencyRanks(new ShiftJis());
    /** Japanese (kana and kanji), EUC-JP byte layout; the same table as Shift_JIS. */
    static final CharFrequencyRanks EUC_JP = new CharFrequencyRanks(new EucJp());
    /** Korean, KS X 1001 Hangul syllables. */
    static final CharFrequencyRanks EUC_KR = new CharFrequencyRanks(new EucKr());

    /** The character at a byte offset to its position in the table, or -1 outside it. */
    private final Positions positions;
    /** Position to frequency rank. Shared with the library, never written. */
    private final int[] rankAt;
    /** The largest rank in the table. */
    private final int maxRank;

    private CharFrequencyRanks(Positions positions) {
        this.positions = positions;
        this.rankAt = positions.table();
        int max = 0;
        for (int rank : rankAt) {
            max = Math.max(max, rank);
        }
        this.maxRank = max;
    }

    /**
     * The rank of the two-byte character at {@code offset} ({@code offset + 1} must be inside
     * the array), or -1 when the table does not rank it (symbols, punctuation, rare characters).
     */
    int rank(byte[] bytes, int offset) {
        int position = positions.position(bytes, offset);
        return position >= 0 && position < rankAt.length ? rankAt[position] : -1;
    }

    /** How many characters the table ranks. */
    int size() {
        return rankAt.length;
    }

    int maxRank() {
        return maxRank;
    }

    /** One subclass per table, each only opening the library's protected members. */
    private interface Positions {
        int position(byte[] bytes, int offset);

        int[] table();
    }

    private static final class Gb2312 extends GB2312DistributionAnalysis implements Positions {
        @Override
        public int position(byte[] bytes, int offset) {
            return getOrder(bytes, offset);
        }

        @Override
        public int[] table() {
            return charToFreqOrder;
        }
    }

    private static final class Big5 extends Big5DistributionAnalysis implements Positions {
        @Override
        public int position(byte[] bytes, int offset) {
            return getOrder(bytes, offset);
        }

        @Override
        public int[] table() {
            return charToFreqOrder;
        }
    }

    private static final class ShiftJis extends SJISDistributionAnalysis implements Positions {
        @Override
        public int position(byte[] bytes, int offset) {
            return getOrder(bytes, offset);
        }

        @Override
        public int[] table() {
            return charToFreqOrder;
        }
    }

    private static final class EucJp extends EUCJPDistributionAnalysis implements Positions {
        @Override
        public int position(byte[] bytes, int offset) {
            return getOrder(bytes, offset);
        }

        @Override
        public int[] table() {
            return charToFreqOrder;
        }
    }

    private static final class EucKr extends EUCKRDistributionAnalysis implements Positions {
        @Override
        public int position(byte[] bytes, int offset) {
            return getOrder(bytes, offset);
        }

        @Override
        public int[] table() {
            return charToFreqOrder;
        }
    }
}
