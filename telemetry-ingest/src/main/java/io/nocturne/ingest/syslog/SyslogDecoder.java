package io.nocturne.ingest.syslog;

import io.nocturne.ingest.decode.DecodeResult;
import io.nocturne.telemetry.v1.DeadLetter.Reason;
import io.nocturne.telemetry.v1.StructuredDataElement;
import io.nocturne.telemetry.v1.StructuredDataParam;
import io.nocturne.telemetry.v1.SyslogMessage;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * Decodes one syslog message (one UDP datagram, or one framed TCP message) into a
 * {@link SyslogMessage}. Pure: no I/O, no shared mutable state; safe from any thread.
 *
 * <p>What it accepts, in order of preference:
 * <ol>
 *   <li>RFC 5424 (§6): {@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD [MSG]}.
 *       A message that declares VERSION 1 but breaks the grammar is rejected as
 *       {@link Reason#REASON_MALFORMED} with the byte offset, not guessed at.</li>
 *   <li>RFC 3164 (§4.1): {@code <PRI>Mmm dd hh:mm:ss HOSTNAME TAG[pid]: MSG}; the year is
 *       inferred (§4.1.2 has none) and the local time read in the listener's zone.</li>
 *   <li>A valid PRI followed by anything else: {@code FORMAT_UNSTRUCTURED}, the text kept
 *       whole, so facility and severity still reach the rules (RFC 3164 §4.3.3 asks a relay
 *       to keep such messages).</li>
 * </ol>
 * Bytes that do not start with a PRI are not syslog: {@link Reason#REASON_UNRECOGNIZED_FORMAT}.
 */
public final class SyslogDecoder {

    /** RFC 5424 §6.2.1: PRIVAL is at most 191 (facility 23, severity 7). */
    private static final int MAX_PRIVAL = 191;
    private static final byte SP = ' ';
    private static final byte NIL = '-';
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

    private final ZoneId localZone;
    private final Clock clock;

    /**
     * @param localZone zone for timestamps that carry no offset (RFC 3164)
     * @param clock     the receive clock, used to infer the missing RFC 3164 year
     */
    public SyslogDecoder(ZoneId localZone, Clock clock) {
        this.localZone = localZone;
        this.clock = clock;
    }

    public DecodeResult<SyslogMessage> decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    public DecodeResult<SyslogMessage> decode(byte[] buf, int offset, int length) {
        return decode(buf, offset, length, localZone);
    }

    /**
     * @param zone the zone for timestamps without an offset, for this message's sender (a
     *             per-exporter override of the listener's zone)
     */
    public DecodeResult<SyslogMessage> decode(byte[] buf, int offset, int length, ZoneId zone) {
        if (length == 0) {
            return DecodeResult.failed(Reason.REASON_EMPTY, "empty datagram");
        }
        int end = offset + length;
        // Senders often terminate with LF, CRLF or NUL though RFC 5426 §3.1 does not ask for it.
        while (end > offset && (buf[end - 1] == '\n' || buf[end - 1] == '\r' || buf[end - 1] == 0)) {
            end--;
        }
        Cursor c = new Cursor(buf, offset, end);
        int pri = parsePri(c);
        if (pri < 0) {
            return DecodeResult.failed(Reason.REASON_UNRECOGNIZED_FORMAT,
                    "not syslog: no <PRI> (RFC 5424 §6.2.1) at the start" + describeStart(buf, offset, end));
        }
        SyslogMessage.Builder b = SyslogMessage.newBuilder()
                .setFacility(pri >> 3)
                .setSeverity(pri & 7)
                .setLength(length);
        int afterPri = c.pos;
        if (looksLikeRfc5424Version(c)) {
            String error = parse5424(c, b);
            if (error != null) {
                return DecodeResult.failed(Reason.REASON_MALFORMED,
                        "RFC 5424 message malformed at byte " + (c.pos - offset) + ": " + error);
            }
            return DecodeResult.decoded(VendorTags.tag(b).build());
        }
        c.pos = afterPri;
        if (parse3164(c, b, zone)) {
            return DecodeResult.decoded(VendorTags.tag(b).build());
        }
        c.pos = afterPri;
        b.clearHostname().clearAppName().clearProcId().clearTimestampUnixNanos().clearTimestampUtcOffsetSeconds()
                .clearTimestampYearInferred();
        b.setFormat(SyslogMessage.Format.FORMAT_UNSTRUCTURED);
        setMessage(b, buf, afterPri, end);
        return DecodeResult.decoded(VendorTags.tag(b).build());
    }

    // ---- PRI -----------------------------------------------------------------------------

    /** RFC 5424 §6.2.1: "<" 1*3DIGIT ">", no leading zeros except "<0>"; -1 if absent. */
    private static int parsePri(Cursor c) {
        if (!c.has(3) || c.peek() != '<') {
            return -1;
        }
        int p = c.pos + 1;
        int value = 0;
        int digits = 0;
        while (p < c.end && digits < 4 && isDigit(c.buf[p])) {
            value = value * 10 + (c.buf[p] - '0');
            digits++;
            p++;
        }
        if (digits == 0 || digits > 3 || p >= c.end || c.buf[p] != '>' || value > MAX_PRIVAL
                || (digits > 1 && c.buf[c.pos + 1] == '0')) {
            return -1;
        }
        c.pos = p + 1;
        return value;
    }

    // ---- RFC 5424 ------------------------------------------------------------------------

    /** VERSION = NONZERO-DIGIT 0*2DIGIT followed by SP (§6.2.2). */
    private static boolean looksLikeRfc5424Version(Cursor c) {
        int p = c.pos;
        if (p >= c.end || c.buf[p] < '1' || c.buf[p] > '9') {
            return false;
        }
        int digits = 0;
        while (p < c.end && isDigit(c.buf[p]) && digits < 4) {
            p++;
            digits++;
        }
        return digits <= 3 && p < c.end && c.buf[p] == SP;
    }

    /** Fills {@code b} from the header onwards; returns null, or what was wrong at {@code c.pos}. */
    private String parse5424(Cursor c, SyslogMessage.Builder b) {
        int version = 0;
        while (isDigit(c.peek())) {
            version = version * 10 + (c.next() - '0');
        }
        b.setFormat(SyslogMessage.Format.FORMAT_RFC5424).setVersion(version);
        c.pos++; // the SP checked by looksLikeRfc5424Version

        String err = parseTimestamp5424(c, b);
        if (err != null) {
            return err;
        }
        if (!c.skip(SP)) {
            return "expected SP after TIMESTAMP";
        }
        String hostname = headerField(c, 255, "HOSTNAME");
        if (hostname == null) {
            return "HOSTNAME missing (§6.2.4)";
        }
        b.setHostname(hostname);
        String appName = headerField(c, 48, "APP-NAME");
        if (appName == null) {
            return "APP-NAME missing (§6.2.5)";
        }
        b.setAppName(appName);
        String procId = headerField(c, 128, "PROCID");
        if (procId == null) {
            return "PROCID missing (§6.2.6)";
        }
        b.setProcId(procId);
        String msgId = headerField(c, 32, "MSGID");
        if (msgId == null) {
            return "MSGID missing (§6.2.7)";
        }
        b.setMsgId(msgId);
        if (!c.has(1)) {
            // A header-only message with no STRUCTURED-DATA: tolerated (seen from some
            // embedded stacks); the SD is absent, as with NILVALUE.
            return null;
        }
        err = parseStructuredData(c, b);
        if (err != null) {
            return err;
        }
        if (c.has(1)) {
            if (!c.skip(SP)) {
                return "expected SP between STRUCTURED-DATA and MSG (§6)";
            }
            setMessage(b, c.buf, c.pos, c.end);
        }
        return null;
    }

    /**
     * A header field (§6): NILVALUE or 1*N PRINTUSASCII, then SP (the last field's SP may
     * be the end of the message). Fields longer than the RFC's limit are kept: devices exceed
     * them in practice and truncation would lose information.
     */
    private static String headerField(Cursor c, int rfcMaxLength, String name) {
        int start = c.pos;
        while (c.pos < c.end && c.buf[c.pos] != SP) {
            int ch = c.buf[c.pos] & 0xFF;
            if (ch < 33 || ch > 126) {
                return null;
            }
            c.pos++;
        }
        if (c.pos == start) {
            return null;
        }
        String value = (c.pos - start == 1 && c.buf[start] == NIL) ? "" : ascii(c.buf, start, c.pos);
        if (c.pos < c.end) {
            c.pos++; // SP
        }
        return value;
    }

    /**
     * §6.2.3: NILVALUE / FULL-DATE "T" PARTIAL-TIME TIME-OFFSET, with TIME-SECFRAC of up to
     * six digits (more are accepted and cut to nanoseconds), TIME-OFFSET "Z" or ±HH:MM.
     */
    private static String parseTimestamp5424(Cursor c, SyslogMessage.Builder b) {
        if (c.peek() == NIL && (c.pos + 1 >= c.end || c.buf[c.pos + 1] == SP)) {
            c.pos++;
            return null;
        }
        int year = c.digits(4);
        if (year < 0 || !c.skip((byte) '-')) {
            return "TIMESTAMP: expected FULL-DATE YYYY-MM-DD (§6.2.3)";
        }
        int month = c.digits(2);
        if (month < 0 || !c.skip((byte) '-')) {
            return "TIMESTAMP: expected month";
        }
        int day = c.digits(2);
        if (day < 0 || !(c.skip((byte) 'T') || c.skip((byte) 't'))) {
            return "TIMESTAMP: expected day and 'T'";
        }
        int hour = c.digits(2);
        if (hour < 0 || !c.skip((byte) ':')) {
            return "TIMESTAMP: expected hour";
        }
        int minute = c.digits(2);
        if (minute < 0 || !c.skip((byte) ':')) {
            return "TIMESTAMP: expected minute";
        }
        int second = c.digits(2);
        if (second < 0) {
            return "TIMESTAMP: expected second";
        }
        int nanos = 0;
        if (c.skip((byte) '.')) {
            int fracDigits = 0;
            while (isDigit(c.peek())) {
                int d = c.next() - '0';
                if (fracDigits < 9) {
                    nanos = nanos * 10 + d;
                }
                fracDigits++;
            }
            if (fracDigits == 0) {
                return "TIMESTAMP: empty TIME-SECFRAC";
            }
            for (int i = fracDigits; i < 9; i++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (c.skip((byte) 'Z') || c.skip((byte) 'z')) {
            offsetSeconds = 0;
        } else if (c.peek() == '+' || c.peek() == '-') {
            int sign = c.next() == '-' ? -1 : 1;
            int oh = c.digits(2);
            if (oh < 0 || !c.skip((byte) ':')) {
                return "TIMESTAMP: TIME-OFFSET must be ±HH:MM";
            }
            int om = c.digits(2);
            if (om < 0 || oh > 23 || om > 59) {
                return "TIMESTAMP: TIME-OFFSET out of range";
            }
            offsetSeconds = sign * (oh * 3600 + om * 60);
        } else {
            return "TIMESTAMP: TIME-OFFSET ('Z' or ±HH:MM) missing";
        }
        try {
            // §6.2.3.1: a leap second (60) is not representable; clamp to 59.999999999.
            boolean leap = second == 60;
            LocalDateTime local = LocalDateTime.of(year, month, day, hour, minute, leap ? 59 : second,
                    leap ? 999_999_999 : nanos);
            long epochSecond = local.toEpochSecond(java.time.ZoneOffset.UTC) - offsetSeconds;
            b.setTimestampUnixNanos(Math.multiplyExact(epochSecond, 1_000_000_000L) + local.getNano());
            b.setTimestampUtcOffsetSeconds(offsetSeconds);
        } catch (DateTimeException | ArithmeticException e) {
            return "TIMESTAMP: invalid date or time (" + e.getMessage() + ")";
        }
        return null;
    }

    /** §6.3: NILVALUE / 1*SD-ELEMENT. */
    private static String parseStructuredData(Cursor c, SyslogMessage.Builder b) {
        if (c.peek() == NIL) {
            c.pos++;
            return null;
        }
        if (c.peek() != '[') {
            return "STRUCTURED-DATA must be '-' or start with '[' (§6.3)";
        }
        while (c.peek() == '[') {
            c.pos++;
            String id = sdName(c);
            if (id == null) {
                return "SD-ID missing or invalid (§6.3.2)";
            }
            StructuredDataElement.Builder element = StructuredDataElement.newBuilder().setId(id);
            while (c.peek() == SP) {
                c.pos++;
                String name = sdName(c);
                if (name == null) {
                    return "PARAM-NAME missing or invalid in SD-ELEMENT [" + id + "] (§6.3.3)";
                }
                if (!c.skip((byte) '=') || !c.skip((byte) '"')) {
                    return "expected =\" after PARAM-NAME " + name + " (§6.3.3)";
                }
                String value = paramValue(c);
                if (value == null) {
                    return "PARAM-VALUE of " + name + " not terminated by '\"' (§6.3.3)";
                }
                element.addParams(StructuredDataParam.newBuilder().setName(name).setValue(value));
            }
            if (!c.skip((byte) ']')) {
                return "expected ']' closing SD-ELEMENT [" + id + "] (§6.3.1)";
            }
            b.addStructuredData(element);
        }
        return null;
    }

    /** SD-NAME = 1*32 PRINTUSASCII except '=', SP, ']', '"' (§6.3.2). */
    private static String sdName(Cursor c) {
        int start = c.pos;
        while (c.pos < c.end) {
            int ch = c.buf[c.pos] & 0xFF;
            if (ch < 33 || ch > 126 || ch == '=' || ch == ']' || ch == '"') {
                break;
            }
            c.pos++;
        }
        return c.pos == start ? null : ascii(c.buf, start, c.pos);
    }

    /** PARAM-VALUE: UTF-8 with '"', '\' and ']' escaped by '\'; cursor ends after the closing '"'. */
    private static String paramValue(Cursor c) {
        java.io.ByteArrayOutputStream out = null;
        int start = c.pos;
        while (c.pos < c.end) {
            byte ch = c.buf[c.pos];
            if (ch == '\\' && c.pos + 1 < c.end
                    && (c.buf[c.pos + 1] == '"' || c.buf[c.pos + 1] == '\\' || c.buf[c.pos + 1] == ']')) {
                if (out == null) {
                    out = new java.io.ByteArrayOutputStream();
                }
                out.write(c.buf, start, c.pos - start);
                out.write(c.buf[c.pos + 1]);
                c.pos += 2;
                start = c.pos;
            } else if (ch == '"') {
                String value;
                if (out == null) {
                    value = utf8(c.buf, start, c.pos);
                } else {
                    out.write(c.buf, start, c.pos - start);
                    byte[] bytes = out.toByteArray();
                    value = utf8(bytes, 0, bytes.length);
                }
                c.pos++;
                return value;
            } else {
                // §6.3.3: any other backslash is kept as-is.
                c.pos++;
            }
        }
        return null;
    }

    // ---- RFC 3164 ------------------------------------------------------------------------

    /** RFC 3164 §4.1.2 TIMESTAMP "Mmm dd hh:mm:ss" (no year: inferred; no zone: the listener's). */
    private boolean bsdTimestamp(Cursor c, SyslogMessage.Builder b, ZoneId zone) {
        // TIMESTAMP = Mmm SP dd SP hh:mm:ss, dd space-padded ("Jan  5"); some senders zero-pad.
        if (!c.has(15)) {
            return false;
        }
        int month = -1;
        for (int i = 0; i < MONTHS.length; i++) {
            String m = MONTHS[i];
            if (c.buf[c.pos] == m.charAt(0) && c.buf[c.pos + 1] == m.charAt(1) && c.buf[c.pos + 2] == m.charAt(2)) {
                month = i + 1;
                break;
            }
        }
        if (month < 0 || c.buf[c.pos + 3] != SP) {
            return false;
        }
        c.pos += 4;
        int day;
        if (c.peek() == SP) {
            c.pos++;
            day = c.digits(1);
        } else {
            day = c.digits(2);
            if (day < 0) {
                day = c.digits(1);
            }
        }
        if (day < 1 || !c.skip(SP)) {
            return false;
        }
        int hour = c.digits(2);
        if (hour < 0 || !c.skip((byte) ':')) {
            return false;
        }
        int minute = c.digits(2);
        if (minute < 0 || !c.skip((byte) ':')) {
            return false;
        }
        int second = c.digits(2);
        if (second < 0) {
            return false;
        }
        ZonedDateTime ts = inferYear(month, day, hour, minute, second, zone);
        if (ts == null) {
            return false;
        }
        b.setTimestampUnixNanos(ts.toEpochSecond() * 1_000_000_000L).setTimestampYearInferred(true);
        return true;
    }

    /**
     * RFC 3164 §4.1.2 HEADER and §4.1.3 MSG; false when there is no valid TIMESTAMP. Besides
     * the BSD "Mmm dd hh:mm:ss" it takes an RFC 3339 timestamp in the same place, which is
     * what rsyslog and syslog-ng forward by default ("high-precision" traditional format).
     */
    private boolean parse3164(Cursor c, SyslogMessage.Builder b, ZoneId zone) {
        int start = c.pos;
        if (!bsdTimestamp(c, b, zone)) {
            c.pos = start;
            if (!isDigit(c.peek()) || parseTimestamp5424(c, b) != null || (c.has(1) && c.peek() != SP)) {
                c.pos = start;
                return false;
            }
        }
        b.setFormat(SyslogMessage.Format.FORMAT_RFC3164);
        if (!c.skip(SP)) {
            // Timestamp then end of message (or junk glued to it): keep what follows as MSG.
            setMessage(b, c.buf, c.pos, c.end);
            return true;
        }
        // HOSTNAME, unless the sender left it out and the next token is already the TAG
        // ("app[12]:" or "app:"), which many daemons do when logging to a remote host.
        int tokenStart = c.pos;
        while (c.pos < c.end && c.buf[c.pos] != SP) {
            c.pos++;
        }
        int tokenEnd = c.pos;
        if (tokenEnd == tokenStart) {
            setMessage(b, c.buf, c.pos, c.end); // two spaces: no HOSTNAME, no TAG
            return true;
        }
        boolean isTag = c.buf[tokenEnd - 1] == ':' || indexOf(c.buf, tokenStart, tokenEnd, (byte) '[') >= 0;
        if (isTag) {
            c.pos = tokenStart;
        } else {
            b.setHostname(ascii(c.buf, tokenStart, tokenEnd));
            c.skip(SP);
        }
        parseTag(c, b);
        setMessage(b, c.buf, c.pos, c.end);
        return true;
    }

    /**
     * §4.1.3 TAG: up to 32 alphanumerics, ended by a non-alphanumeric; by convention
     * {@code name[pid]:} or {@code name:}. Without that shape the whole text is MSG.
     */
    private static void parseTag(Cursor c, SyslogMessage.Builder b) {
        int start = c.pos;
        int p = start;
        while (p < c.end && c.buf[p] != SP && c.buf[p] != '[' && c.buf[p] != ':') {
            p++;
        }
        if (p == start || p >= c.end) {
            return;
        }
        int nameEnd = p;
        String procId = "";
        if (c.buf[p] == '[') {
            int close = indexOf(c.buf, p + 1, Math.min(c.end, p + 130), (byte) ']');
            if (close < 0) {
                return;
            }
            procId = ascii(c.buf, p + 1, close);
            p = close + 1;
        }
        if (p < c.end && c.buf[p] == ':') {
            p++;
        } else if (!(p < c.end && c.buf[p] == SP && !procId.isEmpty())) {
            return; // "word rest" with no ':' is message text, not a TAG
        }
        b.setAppName(ascii(c.buf, start, nameEnd)).setProcId(procId);
        if (p < c.end && c.buf[p] == SP) {
            p++;
        }
        c.pos = p;
    }

    /**
     * RFC 3164 timestamps have no year: take the receive year, or the previous one when that
     * would put the message more than a day in the future (a Dec 31 message read on Jan 1).
     */
    private ZonedDateTime inferYear(int month, int day, int hour, int minute, int second, ZoneId zone) {
        ZonedDateTime now = ZonedDateTime.now(clock).withZoneSameInstant(zone);
        try {
            ZonedDateTime candidate = ZonedDateTime.of(now.getYear(), month, day, hour, minute, second, 0, zone);
            if (candidate.isAfter(now.plusDays(1))) {
                candidate = candidate.minusYears(1);
            }
            return candidate;
        } catch (DateTimeException e) {
            // Feb 29 in a non-leap receive year, or hour 24: try the previous year, else give up.
            try {
                return ZonedDateTime.of(now.getYear() - 1, month, day, hour, minute, second, 0, zone);
            } catch (DateTimeException again) {
                return null;
            }
        }
    }

    // ---- helpers -------------------------------------------------------------------------

    /** §6.4: MSG, with a leading UTF-8 BOM noted and removed. */
    private static void setMessage(SyslogMessage.Builder b, byte[] buf, int start, int end) {
        if (end - start >= 3 && (buf[start] & 0xFF) == 0xEF && (buf[start + 1] & 0xFF) == 0xBB
                && (buf[start + 2] & 0xFF) == 0xBF) {
            b.setMessageHadBom(true);
            start += 3;
        }
        b.setMessage(utf8(buf, start, end));
    }

    private static String utf8(byte[] buf, int start, int end) {
        // Fast path: pure ASCII, the common case for network devices.
        for (int i = start; i < end; i++) {
            if (buf[i] < 0) {
                return utf8Lenient(buf, start, end);
            }
        }
        return new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
    }

    private static String utf8Lenient(byte[] buf, int start, int end) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(buf, start, end - start));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("REPLACE decoder cannot fail", e);
        }
    }

    private static String ascii(byte[] buf, int start, int end) {
        return new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
    }

    private static boolean isDigit(int b) {
        return b >= '0' && b <= '9';
    }

    private static int indexOf(byte[] buf, int from, int to, byte wanted) {
        for (int i = from; i < to; i++) {
            if (buf[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    private static String describeStart(byte[] buf, int start, int end) {
        int n = Math.min(16, end - start);
        StringBuilder sb = new StringBuilder(" (first bytes:");
        for (int i = 0; i < n; i++) {
            sb.append(' ').append(String.format("%02x", buf[start + i] & 0xFF));
        }
        return sb.append(')').toString();
    }

    /** A read position over {@code buf[pos, end)}. */
    private static final class Cursor {
        final byte[] buf;
        final int end;
        int pos;

        Cursor(byte[] buf, int pos, int end) {
            this.buf = buf;
            this.pos = pos;
            this.end = end;
        }

        boolean has(int n) {
            return end - pos >= n;
        }

        int peek() {
            return pos < end ? buf[pos] : -1;
        }

        int next() {
            return buf[pos++];
        }

        boolean skip(byte expected) {
            if (pos < end && buf[pos] == expected) {
                pos++;
                return true;
            }
            return false;
        }

        /** Exactly n decimal digits, or -1 (position unchanged). */
        int digits(int n) {
            if (end - pos < n) {
                return -1;
            }
            int v = 0;
            for (int i = 0; i < n; i++) {
                byte ch = buf[pos + i];
                if (!isDigit(ch)) {
                    return -1;
                }
                v = v * 10 + (ch - '0');
            }
            pos += n;
            return v;
        }
    }
}
