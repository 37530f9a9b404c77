package io.nocturne.ingest.syslog;

import io.nocturne.telemetry.v1.VendorTag;

/**
 * Vendor message tags at a given position of the message text, found by hand-written
 * scanners (they run on the hot path; a regular expression cost the ASA shape three
 * quarters of its throughput when measured):
 * <ul>
 *   <li>Cisco IOS / IOS-XE / IOS-XR / NX-OS / ASA and Arista EOS
 *       {@code %FACILITY[-SUB]-SEVERITY-MNEMONIC:} (severity 0-7, the syslog scale; IOS-XR
 *       writes a space before the colon);</li>
 *   <li>Junos event tags {@code UPPER_CASE_WITH_UNDERSCORES:} ({@code SNMP_TRAP_LINK_DOWN},
 *       {@code RT_FLOW_SESSION_CREATE}, {@code UI_COMMIT}).</li>
 * </ul>
 */
final class VendorTags {

    private VendorTags() {
    }

    /**
     * The Cisco-style tag starting with the '%' at {@code t[at]}, or null. {@code t[at, end)}
     * is text one byte per character (the received bytes of an ASCII MSG, or a projection
     * with every non-ASCII character as a negative byte): the tag is ASCII, so its parts are
     * the same either way.
     */
    static VendorTag.Builder ciscoTag(byte[] t, int at, int end) {
        if (at >= end || t[at] != '%') {
            return null;
        }
        int tagEnd = tagEnd(t, at + 1, end);
        if (tagEnd < 0) {
            return null;
        }
        // t[at+1, tagEnd) = FAC[-SUB...]-S-MNEMONIC; split at the last two '-'.
        int lastDash = tagEnd - 1;
        while (lastDash > at && t[lastDash] != '-') {
            lastDash--;
        }
        int sevDash = lastDash - 2;
        if (lastDash <= at + 1 || sevDash <= at + 1 || t[sevDash] != '-') {
            return null;
        }
        byte sev = t[lastDash - 1];
        if (sev < '0' || sev > '7' || lastDash + 1 >= tagEnd) {
            return null;
        }
        return VendorTag.newBuilder()
                .setVendor("cisco")
                .setFacility(TAG_WORDS.get(t, at + 1, sevDash))
                .setSeverity(sev - '0')
                .setMnemonic(TAG_WORDS.get(t, lastDash + 1, tagEnd));
    }

    /**
     * Facilities and mnemonics recur in every message of their kind (LINK, UPDOWN, ASA,
     * 302013): one shared String each instead of two new ones per message.
     */
    private static final AsciiCache TAG_WORDS = new AsciiCache(1024, 40);

    /** Whether {@code buf[at..]} starts a Cisco-style tag; cheap pre-check on bytes. */
    static boolean ciscoAt(byte[] buf, int at, int end) {
        if (at + 8 > end || buf[at] != '%' || !upper(buf[at + 1])) {
            return false;
        }
        int i = at + 1;
        int dashes = 0;
        while (i < end && i < at + 96) {
            byte c = buf[i];
            if (c == '-') {
                dashes++;
            } else if (c == ':' || (c == ' ' && i + 1 < end && buf[i + 1] == ':')) {
                return dashes >= 2 && buf[i - 1] != '-';
            } else if (!(upper(c) || (c >= '0' && c <= '9') || c == '_')) {
                return false;
            }
            i++;
        }
        return false;
    }

    /**
     * A Junos event tag at {@code t[at]} (text one byte per character, as for
     * {@link #ciscoTag}): upper-case letters and digits with at least one '_', ended by ':';
     * or null.
     */
    static String junosAt(byte[] t, int at, int end) {
        int i = at;
        if (i >= end || !upper(t[i])) {
            return null;
        }
        boolean underscore = false;
        while (i < end && i - at <= 64) {
            byte c = t[i];
            if (c == '_') {
                underscore = true;
            } else if (!(upper(c) || (c >= '0' && c <= '9'))) {
                break;
            }
            i++;
        }
        return underscore && i < end && t[i] == ':' && t[i - 1] != '_' ? TAG_WORDS.get(t, at, i) : null;
    }

    /** Whether {@code s} as a whole looks like a Junos event tag (RFC 5424 MSGID). */
    static boolean junosTag(String s) {
        // junosAt(s + ":", 0) != null, without building that string (it showed in profiles:
        // this runs for every RFC 5424 message): past the end of s reads as ':'.
        int n = s.length();
        if (n == 0 || !upper(s.charAt(0))) {
            return false;
        }
        boolean underscore = false;
        int i = 0;
        while (i <= n && i <= 64) {
            char c = i < n ? s.charAt(i) : ':';
            if (c == '_') {
                underscore = true;
            } else if (!(upper(c) || (c >= '0' && c <= '9'))) {
                break;
            }
            i++;
        }
        return underscore && i <= n && (i < n ? s.charAt(i) : ':') == ':' && s.charAt(i - 1) != '_';
    }

    /**
     * The index of the ':' that ends a tag starting at {@code start} (letters, digits, '_'
     * and '-' up to an optional space and ':'), or -1. The facility must start with a letter.
     */
    private static int tagEnd(byte[] t, int start, int limit) {
        if (start >= limit || !upper(t[start])) {
            return -1;
        }
        int i = start;
        while (i < limit) {
            byte c = t[i];
            if (upper(c) || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                i++;
            } else {
                break;
            }
        }
        int end = i;
        if (i < limit && t[i] == ' ') {
            i++;
        }
        return i < limit && t[i] == ':' && end > start ? end : -1;
    }

    private static boolean upper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    private static boolean upper(byte c) {
        return c >= 'A' && c <= 'Z';
    }
}
