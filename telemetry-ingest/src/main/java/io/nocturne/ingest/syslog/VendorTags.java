package io.nocturne.ingest.syslog;

import io.nocturne.telemetry.v1.SyslogMessage;
import io.nocturne.telemetry.v1.VendorTag;

/**
 * Recognises vendor message tags inside MSG so rules can match on them without regexes:
 * Cisco IOS / IOS-XE / NX-OS / ASA {@code %FACILITY[-SUB]-SEVERITY-MNEMONIC:} (severity
 * 0-7, the same scale as syslog) and the IOS {@code service sequence-numbers} prefix
 * ({@code "123: "} at the start of the message). A hand-written scanner, not a regex: it
 * runs on every message that contains a '%', on the hot path.
 */
final class VendorTags {

    private VendorTags() {
    }

    static SyslogMessage.Builder tag(SyslogMessage.Builder b) {
        String msg = b.getMessage();
        // "<166>Mar 10 11:59:58 fw-3 %ASA-6-302013: ..." parses the tag as the RFC 3164 TAG.
        String app = b.getAppName();
        if (!app.isEmpty() && app.charAt(0) == '%' && cisco(app + ":", b, msg)) {
            return b;
        }
        cisco(msg, b, msg);
        return b;
    }

    /** Finds the first Cisco tag in {@code text}; sets it on {@code b}. */
    private static boolean cisco(String text, SyslogMessage.Builder b, String msg) {
        int from = 0;
        int pct;
        while ((pct = text.indexOf('%', from)) >= 0) {
            from = pct + 1;
            if (pct > 0) {
                char before = text.charAt(pct - 1);
                if (before != ' ' && before != ':' && before != '*' && before != '\t') {
                    continue; // "100%" or a URL escape, not a tag
                }
            }
            int end = tagEnd(text, pct + 1);
            if (end < 0) {
                continue;
            }
            // text[pct+1, end) = FAC[-SUB...]-S-MNEMONIC; split at the last two '-'.
            int lastDash = text.lastIndexOf('-', end - 1);
            int sevDash = lastDash - 2;
            if (lastDash <= pct + 1 || sevDash <= pct + 1 || text.charAt(sevDash) != '-') {
                continue;
            }
            char sev = text.charAt(lastDash - 1);
            if (sev < '0' || sev > '7') {
                continue;
            }
            VendorTag.Builder v = VendorTag.newBuilder()
                    .setVendor("cisco")
                    .setFacility(text.substring(pct + 1, sevDash))
                    .setSeverity(sev - '0')
                    .setMnemonic(text.substring(lastDash + 1, end));
            long seq = sequenceNumber(msg);
            if (seq >= 0) {
                v.setSequenceNumber(seq);
            }
            b.setVendor(v);
            return true;
        }
        return false;
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

    /** "123: ..." at the start of MSG → 123; else -1. */
    private static long sequenceNumber(String msg) {
        int i = 0;
        long n = 0;
        while (i < msg.length() && i < 18 && msg.charAt(i) >= '0' && msg.charAt(i) <= '9') {
            n = n * 10 + (msg.charAt(i) - '0');
            i++;
        }
        return i > 0 && i + 1 < msg.length() && msg.charAt(i) == ':' && msg.charAt(i + 1) == ' ' ? n : -1;
    }
}
