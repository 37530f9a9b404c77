package io.nocturne.ingest.syslog;

import io.nocturne.telemetry.v1.SyslogMessage;
import io.nocturne.telemetry.v1.VendorTag;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises vendor message tags inside MSG so rules can match on them without regexes:
 * Cisco IOS / IOS-XE / NX-OS / ASA {@code %FACILITY[-SUB]-SEVERITY-MNEMONIC:} (severity
 * 0-7, the same scale as syslog) and the IOS {@code service sequence-numbers} prefix
 * ({@code "123: "} at the start of the message).
 */
final class VendorTags {

    private static final Pattern CISCO = Pattern.compile("(?:^|[\\s:*])%([A-Z][A-Z0-9_]*(?:-[A-Z][A-Z0-9_]*)*)-([0-7])-([A-Z0-9_]+)\\s?:");
    private static final Pattern SEQUENCE = Pattern.compile("^(\\d{1,18}): ");

    private VendorTags() {
    }

    static SyslogMessage.Builder tag(SyslogMessage.Builder b) {
        String msg = b.getMessage();
        // "<166>Mar 10 11:59:58 fw-3 %ASA-6-302013: ..." parses the tag as the RFC 3164 TAG.
        if (b.getAppName().startsWith("%")) {
            msg = b.getAppName() + ": " + msg;
        }
        if (msg.indexOf('%') < 0) {
            return b;
        }
        Matcher m = CISCO.matcher(msg);
        if (!m.find()) {
            return b;
        }
        VendorTag.Builder v = VendorTag.newBuilder()
                .setVendor("cisco")
                .setFacility(m.group(1))
                .setSeverity(m.group(2).charAt(0) - '0')
                .setMnemonic(m.group(3));
        Matcher seq = SEQUENCE.matcher(msg);
        if (seq.find()) {
            v.setSequenceNumber(Long.parseLong(seq.group(1)));
        }
        return b.setVendor(v);
    }
}
