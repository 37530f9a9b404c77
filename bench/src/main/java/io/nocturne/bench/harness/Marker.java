package io.nocturne.bench.harness;

/**
 * What the harness writes at the end of every message it sends, to find it again on Kafka:
 * {@code nbm:<run>:<seq>:<send epoch nanos>}. The run id keeps older runs' records apart.
 */
public record Marker(String run, long seq, long sendEpochNanos) {

    static final String PREFIX = "nbm:";

    public String text() {
        return PREFIX + run + ":" + seq + ":" + sendEpochNanos;
    }

    /** The marker in {@code text}, or null if it has none of this run. */
    public static Marker find(CharSequence text, String run) {
        String s = text.toString();
        int at = s.lastIndexOf(PREFIX + run + ":");
        if (at < 0) {
            return null;
        }
        int seqStart = at + PREFIX.length() + run.length() + 1;
        int colon = s.indexOf(':', seqStart);
        if (colon < 0) {
            return null;
        }
        int end = colon + 1;
        while (end < s.length() && Character.isDigit(s.charAt(end))) {
            end++;
        }
        try {
            return new Marker(run, Long.parseLong(s.substring(seqStart, colon)), Long.parseLong(s.substring(colon + 1, end)));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
