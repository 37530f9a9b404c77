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

    /** The Cisco-style tag starting with the '%' at {@code at}, or null. */
    static VendorTag.Builder ciscoAt(String text, int at) {
        if (at >= text.length() || text.charAt(at) != '%') {
            return null;
        }
        int end = tagEnd(text, at + 1);
        if (end < 0) {
            return null;
        }
        // text[at+1, end) = FAC[-SUB...]-S-MNEMONIC; split at the last two '-'.
        int lastDash = text.lastIndexOf('-', end - 1);
        int sevDash = lastDash - 2;
        if (lastDash <= at + 1 || sevDash <= at + 1 || text.charAt(sevDash) != '-') {
            return null;
        }
        char sev = text.charAt(lastDash - 1);
        if (sev < '0' || sev > '7' || lastDash + 1 >= end) {
            return null;
        }
        return VendorTag.newBuilder()
                .setVendor("cisco")
                .setFacility(text.substring(at + 1, sevDash))
                .setSeverity(sev - '0')
                .setMnemonic(text.substring(lastDash + 1, end));
    }

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
     * A Junos event tag at the start of {@code text}: upper-case letters and digits with at
     * least one '_', ended by ':'; or null.
     */
    static String junosAt(String text, int at) {
        int i = at;
        int n = text.length();
        if (i >= n || !upper(text.charAt(i))) {
            return null;
        }
        boolean underscore = false;
        while (i < n && i - at <= 64) {
            char c = text.charAt(i);
            if (c == '_') {
                underscore = true;
            } else if (!(upper(c) || (c >= '0' && c <= '9'))) {
                break;
            }
            i++;
        }
        return underscore && i < n && text.charAt(i) == ':' && text.charAt(i - 1) != '_'
                ? text.substring(at, i) : null;
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
    private static int tagEnd(String text, int start) {
        if (start >= text.length() || !upper(text.charAt(start))) {
            return -1;
        }
        int i = start;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (upper(c) || (c >= '0' && c <= '9') || c == '_' || c == '-') {
                i++;
            } else {
                break;
            }
        }
        int end = i;
        if (i < text.length() && text.charAt(i) == ' ') {
            i++;
        }
        return i < text.length() && text.charAt(i) == ':' && end > start ? end : -1;
    }

    private static boolean upper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    private static boolean upper(byte c) {
        return c >= 'A' && c <= 'Z';
    }
}
