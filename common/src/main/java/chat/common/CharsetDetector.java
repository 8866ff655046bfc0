package chat.common;

import java.nio.charset.Charset;

/**
 * Guesses a connection's legacy charset from the lines it sends, and stays on UTF-8 unless the
 * evidence is clear. One per connection, created when the first line that is neither ASCII nor
 * valid UTF-8 arrives.
 *
 * <p>Candidates: GB18030 (which reads GBK), Big5, Shift_JIS, EUC-KR and windows-1252; EUC-JP is
 * weighed too, so that Japanese in EUC-JP is not taken for Chinese, but is never chosen (see
 * {@link LegacyCharset}). Each line that is not valid UTF-8 gives every candidate a score: minus
 * infinity when the bytes do not decode in it, otherwise the log-odds from character frequency
 * ({@link FrequencyEvidence}) or, for windows-1252, from the shape of the bytes
 * ({@link LatinEvidence}). Scores add up over lines. A candidate is chosen once its total is
 * ahead of every other candidate's, and of "none of these" (0), by {@link #MIN_MARGIN}. A short
 * common Chinese line such as 你好 in GBK is enough on its own (+1.55, every other reading -1.3
 * or less); the Latin-1 words that look like GBK bytes ("Müller", "naïve") go to windows-1252 or
 * nowhere, never to GB18030.
 *
 * <p>ASCII lines and valid UTF-8 lines carry no evidence: they are skipped, never counted. So are
 * lines that decode in no candidate (binary garbage). After {@link #MAX_UNDECIDED_LINES} lines
 * that were weighed without a decision the detector gives up for good, and the connection stays on
 * UTF-8: a client that is that hard to read is better served by {@code /charset NAME} than by a
 * late guess, and giving up bounds the decoding work spent on a connection.
 *
 * <p>State: one running score per candidate and two counters, under a hundred bytes. Not thread
 * safe: use it from the thread that reads the connection.
 */
public final class CharsetDetector {

    /** Lines weighed without a decision before the detector gives up. */
    public static final int MAX_UNDECIDED_LINES = 8;
    /**
     * How far the chosen charset's total is ahead of the runner-up's and of 0, in log-odds units:
     * e^1.5, the evidence makes it about 4.5 times likelier than any other reading.
     */
    static final double MIN_MARGIN = 1.5;

    private static final LegacyCharset[] CANDIDATES = LegacyCharset.values();

    /** Running score per candidate, by ordinal; minus infinity once ruled out. */
    private final double[] totals = new double[CANDIDATES.length];
    /** Lines weighed so far without a decision. */
    private int undecidedLines;
    /** A charset was chosen or the detector gave up; later lines are not looked at. */
    private boolean settled;

    /**
     * Weighs one line, a frame without its line terminator.
     *
     * @return the charset to switch to, from this line on (GB18030, Big5, Shift_JIS, EUC-KR or
     *     windows-1252), once; null while unsure, for ASCII and valid UTF-8 lines, and for every
     *     line after a charset was returned or the detector gave up
     */
    public Charset offer(byte[] bytes, int offset, int length) {
        if (settled || Utf8.isAscii(bytes, offset, length) || Utf8.isValid(bytes, offset, length)) {
            return null;
        }
        double[] line = new double[CANDIDATES.length];
        boolean decodesSomewhere = false;
        for (LegacyCharset candidate : CANDIDATES) {
            line[candidate.ordinal()] = candidate.weigh(bytes, offset, length);
            decodesSomewhere |= line[candidate.ordinal()] != Double.NEGATIVE_INFINITY;
        }
        if (decodesSomewhere) {
            for (int i = 0; i < totals.length; i++) {
                totals[i] += line[i];
            }
        }
        LegacyCharset leader = clearLeader();
        if (leader != null && leader.isChosen()) {
            settled = true;
            return leader.charset();
        }
        if (++undecidedLines >= MAX_UNDECIDED_LINES) {
            settled = true;
        }
        return null;
    }

    /** True once a charset was returned or the detector gave up; {@link #offer} then returns null. */
    public boolean isSettled() {
        return settled;
    }

    /** The candidate whose total is {@link #MIN_MARGIN} ahead of all others and of 0, or null. */
    private LegacyCharset clearLeader() {
        int best = 0;
        for (int i = 1; i < totals.length; i++) {
            if (totals[i] > totals[best]) {
                best = i;
            }
        }
        double runnerUp = 0; // "none of these" is always a contender
        for (int i = 0; i < totals.length; i++) {
            if (i != best) {
                runnerUp = Math.max(runnerUp, totals[i]);
            }
        }
        return totals[best] - runnerUp >= MIN_MARGIN ? CANDIDATES[best] : null;
    }
}
