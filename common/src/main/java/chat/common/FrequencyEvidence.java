package chat.common;

/**
 * Evidence for a double-byte charset (GB18030, Big5, Shift_JIS, EUC-KR, EUC-JP) from how common
 * the line's characters are in that charset's language.
 *
 * <p>Each two-byte character scores the log-odds that it came from real text, where ranks follow
 * Zipf's law, {@code p(r) = 1 / (H * (r + ZIPF_OFFSET))}, rather than from another charset's bytes,
 * which land anywhere in the table, {@code p = 1 / size}. So "好" read as GB18030 (rank 119) scores
 * +1.5, while the same bytes read as EUC-KR land on a rare Hangul syllable and score below 0.
 * Characters the table does not rank (punctuation, symbols, kana in a Chinese table) score 0.
 * Characters of another width (GB18030 four-byte forms, Shift_JIS half-width katakana) are rare in
 * chat but are what other charsets' bytes often turn into, so each costs {@link #RARE_FORM}.
 *
 * <p>Immutable; thread-safe.
 */
final class FrequencyEvidence implements LineEvidence {

    /** The c of Zipf-Mandelbrot: flattens the head so the top few ranks do not dominate. */
    private static final double ZIPF_OFFSET = 10;
    /** The score of a character that is not two bytes wide. */
    static final double RARE_FORM = -1;

    /** How wide the character starting with these bytes is, in this charset's layout. */
    @FunctionalInterface
    interface CharWidth {
        /** @param next the byte after {@code lead}, or -1 at the end of the line */
        int of(int lead, int next);
    }

    private final CharFrequencyRanks ranks;
    private final CharWidth width;
    /** ln(size / H): the per-character score is this minus ln(rank + ZIPF_OFFSET). */
    private final double logScale;

    FrequencyEvidence(CharFrequencyRanks ranks, CharWidth width) {
        this.ranks = ranks;
        this.width = width;
        double harmonic = Math.log((ranks.maxRank() + ZIPF_OFFSET) / ZIPF_OFFSET);
        this.logScale = Math.log(ranks.size() / harmonic);
    }

    @Override
    public double score(byte[] bytes, int offset, int length) {
        double score = 0;
        int end = offset + length;
        int i = offset;
        while (i < end) {
            int lead = bytes[i] & 0xFF;
            if (lead < 0x80) {
                i++;
                continue;
            }
            int next = i + 1 < end ? bytes[i + 1] & 0xFF : -1;
            int w = width.of(lead, next);
            if (w == 2 && next >= 0) {
                score += characterScore(ranks.rank(bytes, i));
            } else {
                score += RARE_FORM;
            }
            i += Math.max(1, w);
        }
        return score;
    }

    double characterScore(int rank) {
        return rank < 0 ? 0 : logScale - Math.log(rank + ZIPF_OFFSET);
    }
}
