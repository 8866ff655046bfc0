package chat.common;

import java.nio.charset.Charset;

/**
 * The charsets {@link CharsetDetector} weighs, each with the evidence that speaks for it.
 *
 * <p>EUC-JP is weighed but never chosen: Japanese in EUC-JP occupies the same byte ranges as
 * GB2312 hanzi and Big5, and if it were not a candidate of its own its lines would be scored as
 * (improbable) Chinese and could tip a decision. Winning as EUC-JP means "not one of ours": the
 * connection stays on UTF-8 and the user can still say {@code /charset EUC-JP}.
 *
 * <p>Immutable; thread-safe.
 */
enum LegacyCharset {

    /** GBK and GB18030; four-byte forms have a digit as second byte. */
    GB18030("GB18030", true, new FrequencyEvidence(CharFrequencyRanks.GB2312,
            (lead, next) -> next >= '0' && next <= '9' ? 4 : 2)),
    BIG5("Big5", true, new FrequencyEvidence(CharFrequencyRanks.BIG5, (lead, next) -> 2)),
    /** A1-DF alone are half-width katakana. */
    SHIFT_JIS("Shift_JIS", true, new FrequencyEvidence(CharFrequencyRanks.SHIFT_JIS,
            (lead, next) -> lead >= 0xA1 && lead <= 0xDF ? 1 : 2)),
    EUC_KR("EUC-KR", true, new FrequencyEvidence(CharFrequencyRanks.EUC_KR, (lead, next) -> 2)),
    /** 8F starts a three-byte JIS X 0212 character. */
    EUC_JP("EUC-JP", false, new FrequencyEvidence(CharFrequencyRanks.EUC_JP,
            (lead, next) -> lead == 0x8F ? 3 : 2)),
    WINDOWS_1252("windows-1252", true, LatinEvidence.INSTANCE);

    private final Charset charset;
    /** False for a candidate that only keeps its lines from counting for another. */
    private final boolean chosen;
    private final LineEvidence evidence;

    LegacyCharset(String name, boolean chosen, LineEvidence evidence) {
        this.charset = Charset.forName(name);
        this.chosen = chosen;
        this.evidence = evidence;
    }

    Charset charset() {
        return charset;
    }

    /** True when the detector may switch a connection to this charset. */
    boolean isChosen() {
        return chosen;
    }

    /**
     * The line's score for this charset, or {@link Double#NEGATIVE_INFINITY} when the bytes do not
     * decode in it (a client using it could not have sent them).
     */
    double weigh(byte[] bytes, int offset, int length) {
        if (!ChatCharsets.decodesCleanly(charset, bytes, offset, length)) {
            return Double.NEGATIVE_INFINITY;
        }
        return evidence.score(bytes, offset, length);
    }
}
