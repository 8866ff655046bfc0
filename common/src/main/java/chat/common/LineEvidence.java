package chat.common;

/**
 * How strongly one line's bytes speak for one charset: a log-odds score, positive for "looks like
 * text in this charset", negative for "looks like another charset's bytes read in this one", 0 for
 * no evidence either way. Scores of several lines add up.
 *
 * <p>Implementations are stateless and thread-safe; the bytes are known to decode cleanly in the
 * charset before they are scored.
 */
interface LineEvidence {

    double score(byte[] bytes, int offset, int length);
}
