package io.nocturne.ingest.syslog;

import com.google.protobuf.UnsafeByteOperations;
import io.nocturne.ingest.decode.DecodeResult;
import io.nocturne.telemetry.v1.DeadLetter.Reason;
import io.nocturne.telemetry.v1.StructuredDataElement;
import io.nocturne.telemetry.v1.StructuredDataParam;
import io.nocturne.telemetry.v1.SyslogMessage;
import io.nocturne.telemetry.v1.SyslogMessage.ClockStatus;
import io.nocturne.telemetry.v1.SyslogMessage.Dialect;
import io.nocturne.telemetry.v1.SyslogMessage.Format;
import io.nocturne.telemetry.v1.SyslogMessage.ParseStatus;
import io.nocturne.telemetry.v1.SyslogMessage.ZoneSource;
import io.nocturne.telemetry.v1.VendorTag;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.Year;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Decodes one syslog message (one UDP datagram, or one framed TCP message) into a
 * {@link SyslogMessage}. No I/O; safe from any thread. The only state shared between calls
 * is the {@link AsciiCache}s of recurring names, which change no result.
 *
 * <p>What it accepts, in order of preference:
 * <ol>
 *   <li>RFC 5424 (§6): {@code <PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID SD [MSG]}.
 *       A message that declares VERSION 1 but breaks the grammar is published with
 *       {@link ParseStatus#PARSE_STATUS_MALFORMED_RFC5424}, the byte offset and the rule it
 *       broke, and its text after the PRI; it is not guessed at.</li>
 *   <li>Vendor headers in RFC 3164 framing: Cisco IOS / IOS-XE
 *       ({@code 123: host: *Mar  1 18:46:11.079 UTC: %LINK-3-UPDOWN: ...}: sequence number,
 *       origin-id host, clock marker, milliseconds, zone name, or an uptime stamp), NX-OS
 *       ({@code : 2024 Mar  1 18:46:11 UTC: %ETHPORT-5-...}), ASA / FTD
 *       ({@code Mar 01 2024 18:46:11 asa01 : %ASA-6-302013: ...}, or no header at all).</li>
 *   <li>RFC 3164 (§4.1): {@code <PRI>Mmm dd hh:mm:ss HOSTNAME TAG[pid]: MSG}, with an RFC 3339
 *       timestamp accepted in the same place; the year is inferred (§4.1.2 has none) and the
 *       local time read in the exporter's or the listener's zone. The MSG is then recognised
 *       as Arista EOS ({@code Ebra: %LINEPROTO-5-UPDOWN: ...}), Junos
 *       ({@code mib2d[1234]: SNMP_TRAP_LINK_DOWN: ...}), PAN-OS CSV or FortiOS key=value.</li>
 *   <li>A valid PRI followed by anything else: {@code FORMAT_UNSTRUCTURED}
 *       ({@code PARSE_STATUS_NO_HEADER} unless a vendor layout such as FortiOS key=value or a
 *       bare {@code %ASA-...} tag is recognised), the text kept whole, so facility and
 *       severity still reach the rules (RFC 3164 §4.3.3 asks a relay to keep such messages).</li>
 *   <li>Text without a PRI: parsed as above with PRI 13 (user.notice) assumed, as RFC 3164
 *       §4.3.3 tells a relay to do, and status {@code NO_PRI} (or {@code UNPARSED} when no
 *       header parsed either).</li>
 * </ol>
 * Only bytes that are not text at all (control bytes, invalid UTF-8) and carry no PRI are
 * refused: {@link Reason#REASON_UNRECOGNIZED_FORMAT}, for the dead-letter topic.
 */
public final class SyslogDecoder {

    /** RFC 5424 §6.2.1: PRIVAL is at most 191 (facility 23, severity 7). */
    private static final int MAX_PRIVAL = 191;
    /** RFC 3164 §4.3.3: a relay receiving a message without PRI gives it PRI 13 (user.notice). */
    private static final int ASSUMED_FACILITY = 1;
    private static final int ASSUMED_SEVERITY = 5;
    private static final byte SP = ' ';
    private static final byte NIL = '-';
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    /** {@link #MONTHS} as ints of their three bytes, for {@link #monthAt}. */
    private static final int[] MONTH_KEYS = new int[MONTHS.length];

    static {
        for (int i = 0; i < MONTHS.length; i++) {
            String m = MONTHS[i];
            MONTH_KEYS[i] = m.charAt(0) << 16 | m.charAt(1) << 8 | m.charAt(2);
        }
    }

    private static final byte[] NO_TEXT = new byte[0];
    /**
     * Header words that recur from message to message (HOSTNAME, APP-NAME, PROCID, MSGID):
     * one shared String each rather than a new one per message.
     */
    private static final AsciiCache NAMES = new AsciiCache(4096, 64);
    /** What a non-ASCII character of the MSG is in {@code Cursor.text}: no pattern has it. */
    private static final byte NON_ASCII = (byte) 0x80;
    /** Eight bytes of a byte[] as one long, for {@link #isAscii}. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

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
        return decode(buf, offset, length, null);
    }

    /**
     * Decodes {@code buf[offset, offset + length)}. The result may keep a view of those bytes
     * (the MSG is not copied), so the caller hands them over: it must not change them
     * afterwards. Ingest allocates one array per received message, so this holds there.
     *
     * @param exporterZone the zone configured for this message's sender, for timestamps
     *                     without an offset; null: the listener's zone
     */
    public DecodeResult<SyslogMessage> decode(byte[] buf, int offset, int length, ZoneId exporterZone) {
        if (length == 0) {
            return DecodeResult.failed(Reason.REASON_EMPTY, "empty datagram");
        }
        int end = offset + length;
        // Senders often terminate with LF, CRLF or NUL though RFC 5426 §3.1 does not ask for it.
        while (end > offset && (buf[end - 1] == '\n' || buf[end - 1] == '\r' || buf[end - 1] == 0)) {
            end--;
        }
        Ctx x = exporterZone != null ? new Ctx(exporterZone, ZoneSource.ZONE_SOURCE_EXPORTER)
                : new Ctx(localZone, ZoneSource.ZONE_SOURCE_LISTENER);
        Cursor c = new Cursor(buf, offset, end);
        SyslogMessage.Builder b = SyslogMessage.newBuilder().setLength(length);
        int pri = parsePri(c);
        if (pri < 0) {
            String notText = notText(buf, offset, end);
            if (notText != null) {
                return DecodeResult.failed(Reason.REASON_UNRECOGNIZED_FORMAT,
                        "not syslog: no <PRI> (RFC 5424 §6.2.1) and " + notText + describeStart(buf, offset, end));
            }
            b.setFacility(ASSUMED_FACILITY).setSeverity(ASSUMED_SEVERITY);
            parseAfterPri(c, b, x);
            if (b.getFormat() == Format.FORMAT_UNSTRUCTURED && b.getDialect() == Dialect.DIALECT_GENERIC) {
                b.setParseStatus(ParseStatus.PARSE_STATUS_UNPARSED)
                        .setParseError("no <PRI> and no header: user.notice assumed (RFC 3164 §4.3.3)");
            } else {
                b.setParseStatus(ParseStatus.PARSE_STATUS_NO_PRI)
                        .setParseError("no <PRI>: user.notice assumed (RFC 3164 §4.3.3)");
            }
            return DecodeResult.decoded(b.build());
        }
        b.setFacility(pri >> 3).setSeverity(pri & 7);
        int afterPri = c.pos;
        if (afterPri < end && (buf[afterPri] & 0xFF) < 0x20 && buf[afterPri] != '\t' && binary(buf, afterPri, end)) {
            return DecodeResult.failed(Reason.REASON_UNRECOGNIZED_FORMAT,
                    "not syslog: a PRI followed by binary data" + describeStart(buf, offset, end));
        }
        if (looksLikeRfc5424Version(c)) {
            String error = parse5424(c, b);
            if (error == null) {
                classify5424(b, c);
                return DecodeResult.decoded(b.setParseStatus(ParseStatus.PARSE_STATUS_OK).build());
            }
            SyslogMessage.Builder f = SyslogMessage.newBuilder().setLength(length)
                    .setFacility(pri >> 3).setSeverity(pri & 7)
                    .setFormat(Format.FORMAT_UNSTRUCTURED).setDialect(Dialect.DIALECT_GENERIC)
                    .setParseStatus(ParseStatus.PARSE_STATUS_MALFORMED_RFC5424)
                    .setParseError("RFC 5424 message malformed at byte " + (c.pos - offset) + ": " + error);
            setMessage(f, buf, afterPri, end);
            return DecodeResult.decoded(f.build());
        }
        parseAfterPri(c, b, x);
        if (b.getFormat() == Format.FORMAT_UNSTRUCTURED && b.getDialect() == Dialect.DIALECT_GENERIC) {
            b.setParseStatus(ParseStatus.PARSE_STATUS_NO_HEADER)
                    .setParseError("no RFC 5424 or RFC 3164 header after the PRI");
        } else {
            b.setParseStatus(ParseStatus.PARSE_STATUS_OK);
        }
        return DecodeResult.decoded(b.build());
    }

    /** More than a quarter control bytes: binary data behind something that looked like a PRI. */
    private static boolean binary(byte[] buf, int start, int end) {
        int control = 0;
        for (int i = start; i < end; i++) {
            int ch = buf[i] & 0xFF;
            if ((ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') || ch == 0x7F) {
                control++;
            }
        }
        return control * 4 > end - start;
    }

    /** Null when {@code buf} is text; else what makes it not text. */
    private static String notText(byte[] buf, int start, int end) {
        for (int i = start; i < end; i++) {
            int ch = buf[i] & 0xFF;
            if ((ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r') || ch == 0x7F) {
                return String.format("control byte 0x%02x at byte %d", ch, i - start);
            }
        }
        CharsetDecoder strict = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            strict.decode(ByteBuffer.wrap(buf, start, end - start));
            return null;
        } catch (CharacterCodingException e) {
            return "not valid UTF-8";
        }
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

        Stamp stamp = new Stamp();
        String err = parseTimestamp5424(c, stamp);
        if (err != null) {
            return err;
        }
        if (stamp.zoneSource != null) {
            stamp.apply(b);
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
            setMessage(c, b, c.pos, c.end);
        }
        return null;
    }

    /**
     * A header field (§6): NILVALUE or 1*N PRINTUSASCII, then SP (the last field's SP may
     * be the end of the message). Fields longer than the RFC's limit are kept: devices exceed
     * them in practice and truncation would lose information.
     */
    private static String headerField(Cursor c, int rfcMaxLength, String name) {
        // Locals, not the cursor's fields, in the loop: the JIT keeps them in registers.
        byte[] buf = c.buf;
        int end = c.end;
        int start = c.pos;
        int p = start;
        while (p < end && buf[p] != SP) {
            int ch = buf[p] & 0xFF;
            if (ch < 33 || ch > 126) {
                c.pos = p;
                return null;
            }
            p++;
        }
        c.pos = p;
        if (p == start) {
            return null;
        }
        String value = (p - start == 1 && buf[start] == NIL) ? "" : NAMES.get(buf, start, p);
        if (p < end) {
            c.pos = p + 1; // SP
        }
        return value;
    }

    /**
     * §6.2.3: NILVALUE / FULL-DATE "T" PARTIAL-TIME TIME-OFFSET, with TIME-SECFRAC of up to
     * six digits (more are accepted and cut to nanoseconds), TIME-OFFSET "Z" or ±HH:MM.
     */
    private static String parseTimestamp5424(Cursor c, Stamp s) {
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
        int fracDigits = 0;
        if (c.skip((byte) '.')) {
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
            int sec = leap ? 59 : second;
            int nano = leap ? 999_999_999 : nanos;
            long localSecond;
            if (month >= 1 && month <= 12 && day >= 1 && day <= monthLength(year, month) && hour <= 23
                    && minute <= 59 && sec <= 59) {
                localSecond = epochDay(year, month, day) * 86_400L + hour * 3600 + minute * 60 + sec;
            } else {
                // Out of range: LocalDateTime says what is wrong, in the message's parse error.
                localSecond = LocalDateTime.of(year, month, day, hour, minute, sec, nano).toEpochSecond(ZoneOffset.UTC);
            }
            long epochSecond = localSecond - offsetSeconds;
            s.unixNanos = Math.multiplyExact(epochSecond, 1_000_000_000L) + nano;
            s.offsetSeconds = offsetSeconds;
            s.fractionDigits = Math.min(9, fracDigits);
            s.zoneSource = ZoneSource.ZONE_SOURCE_OFFSET;
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
        // Locals, not the cursor's fields, in the loop (it was ~13 % of an RT_FLOW line).
        byte[] buf = c.buf;
        int end = c.end;
        int start = c.pos;
        int p = start;
        while (p < end) {
            int ch = buf[p] & 0xFF;
            if (ch < 33 || ch > 126 || ch == '=' || ch == ']' || ch == '"') {
                break;
            }
            p++;
        }
        c.pos = p;
        if (p == start) {
            return null;
        }
        String known = SD_NAMES.find(buf, start, p);
        return known != null ? known : ascii(buf, start, p);
    }

    /**
     * SD-IDs and PARAM-NAMEs that recur in every message of their kind (RFC 5424 §7, Junos
     * RT_FLOW and RT_IDP), handed out as one shared String instead of a new one per message.
     */
    private static final AsciiNames SD_NAMES = new AsciiNames(
            "timeQuality", "tzKnown", "isSynced", "syncAccuracy", "origin", "ip", "enterpriseId", "software",
            "swVersion", "meta", "sequenceId", "sysUpTime", "language",
            "source-address", "source-port", "destination-address", "destination-port", "connection-tag",
            "service-name", "nat-source-address", "nat-source-port", "nat-destination-address",
            "nat-destination-port", "nat-connection-tag", "src-nat-rule-type", "src-nat-rule-name",
            "dst-nat-rule-type", "dst-nat-rule-name", "protocol-id", "policy-name", "source-zone-name",
            "destination-zone-name", "session-id-32", "session-id", "packets-from-client", "bytes-from-client",
            "packets-from-server", "bytes-from-server", "elapsed-time", "application", "nested-application",
            "username", "roles", "packet-incoming-interface", "encrypted", "application-category",
            "application-sub-category", "application-risk", "application-characteristics", "reason",
            "secure-web-proxy-session-type", "peer-session-id", "peer-source-address", "peer-source-port",
            "peer-destination-address", "peer-destination-port", "hostname", "src-vrf-grp", "dst-vrf-grp",
            "tunnel-inspection", "tunnel-inspection-policy-set", "source-identity", "destination-identity",
            "tenant-name", "uplink-incoming-interface-name", "uplink-tx-bytes", "uplink-rx-bytes",
            "epoch-time", "message-type", "attack-name", "action", "threat-severity", "repeat-count",
            "alert", "interface-name", "error-message");

    /** PARAM-VALUE: UTF-8 with '"', '\' and ']' escaped by '\'; cursor ends after the closing '"'. */
    private static String paramValue(Cursor c) {
        byte[] buf = c.buf;
        int end = c.end;
        java.io.ByteArrayOutputStream out = null;
        int p = c.pos;
        int start = p;
        while (p < end) {
            byte ch = buf[p];
            if (ch == '\\' && p + 1 < end && (buf[p + 1] == '"' || buf[p + 1] == '\\' || buf[p + 1] == ']')) {
                if (out == null) {
                    out = new java.io.ByteArrayOutputStream();
                }
                out.write(buf, start, p - start);
                out.write(buf[p + 1]);
                p += 2;
                start = p;
            } else if (ch == '"') {
                String value;
                if (out == null) {
                    value = utf8(buf, start, p);
                } else {
                    out.write(buf, start, p - start);
                    byte[] bytes = out.toByteArray();
                    value = utf8(bytes, 0, bytes.length);
                }
                c.pos = p + 1;
                return value;
            } else {
                // §6.3.3: any other backslash is kept as-is.
                p++;
            }
        }
        c.pos = p;
        return null;
    }

    // ---- RFC 3164 and vendor headers --------------------------------------------------

    private static final int NONE = 0;
    private static final int DONE = 1;
    private static final int BSD = 2;

    /** Per-message decoding context: the zone for zone-less times, and scratch space. */
    private static final class Ctx {
        final ZoneId zone;
        final ZoneSource zoneSource;
        Stamp stamp;

        Ctx(ZoneId zone, ZoneSource zoneSource) {
            this.zone = zone;
            this.zoneSource = zoneSource;
        }
    }

    /** A timestamp read from a header, applied to the builder only once the header is accepted. */
    private static final class Stamp {
        long unixNanos;
        int fractionDigits;
        boolean yearInferred;
        boolean yearFirst;
        ZoneSource zoneSource;
        String zoneName;
        Integer offsetSeconds;

        void apply(SyslogMessage.Builder b) {
            b.setTimestampUnixNanos(unixNanos).setTimestampYearInferred(yearInferred)
                    .setTimestampFractionDigits(fractionDigits).setTimestampZoneSource(zoneSource);
            if (zoneName != null) {
                b.setTimestampZoneName(zoneName);
            } else {
                b.clearTimestampZoneName();
            }
            if (offsetSeconds != null) {
                b.setTimestampUtcOffsetSeconds(offsetSeconds);
            } else {
                b.clearTimestampUtcOffsetSeconds();
            }
        }
    }

    /** Everything after the PRI when it is not RFC 5424 (and everything when there is no PRI). */
    private void parseAfterPri(Cursor c, SyslogMessage.Builder b, Ctx x) {
        int start = c.pos;
        int r = vendorHeader(c, b, x, false);
        if (r == DONE) {
            return;
        }
        if (r == BSD) {
            bsdRest(c, b, x);
            return;
        }
        c.pos = start;
        b.setFormat(Format.FORMAT_UNSTRUCTURED);
        setMessage(c, b, start, c.end);
        classifyBody(b, x, c, false);
    }

    /**
     * Cisco-style headers: {@code [: ][seq: ][host: ][*|.]TIMESTAMP[ ZONE]: }, an uptime
     * stamp instead of the timestamp, {@code TIMESTAMP host %TAG}, {@code TIMESTAMP host : %ASA},
     * or a bare {@code %TAG}. Returns DONE (builder filled), BSD (a plain RFC 3164 timestamp:
     * {@code x.stamp} holds it and the cursor is just after it) or NONE (cursor unchanged).
     *
     * @param relayed the header follows a relay's RFC 3164 header; BSD is then NONE
     */
    private int vendorHeader(Cursor c, SyslogMessage.Builder b, Ctx x, boolean relayed) {
        byte[] buf = c.buf;
        int start = c.pos;
        int end = c.end;
        boolean nxColon = false;
        if (c.peek() == ':' && c.at(1) == SP) {
            c.pos += 2; // NX-OS: "<189>: 2024 Mar  1 ..."
            nxColon = true;
        }
        long seq = -1;
        // "123: " (logging message-counter or service sequence-numbers); with both, the
        // second ("44: 000045: ") is the sequence number.
        for (int round = 0; round < 2 && isDigit(c.peek()); round++) {
            int p = c.pos;
            long v = 0;
            while (p < end && isDigit(buf[p]) && p - c.pos < 18) {
                v = v * 10 + (buf[p] - '0');
                p++;
            }
            if (p + 1 < end && buf[p] == ':' && buf[p + 1] == SP) {
                seq = v;
                c.pos = p + 2;
            } else {
                break;
            }
        }
        String host = null;
        if (!nxColon && c.peek() != '*' && c.peek() != '.' && c.peek() != '%' && monthAt(buf, c.pos, end) < 0
                && uptimeEnd(buf, c.pos, end) < 0) {
            int p = c.pos;
            boolean allDigits = true;
            while (p < end && buf[p] != SP && p - c.pos < 256) {
                allDigits &= isDigit(buf[p]) || buf[p] == ':';
                p++;
            }
            if (p - c.pos >= 2 && p < end && !allDigits) {
                int q = p + 1;
                if (buf[p - 1] == ':' && q < end && (buf[q] == '*' || (buf[q] == '.' && q + 1 < end && monthAt(buf, q + 1, end) >= 0)
                        || VendorTags.ciscoAt(buf, q, end) || monthAt(buf, q, end) >= 0 || uptimeEnd(buf, q, end) > 0
                        || yearFirstAt(buf, q, end))) {
                    host = NAMES.get(buf, c.pos, p - 1);
                    c.pos = q;
                } else if (buf[p - 1] != ':' && q + 1 < end && buf[q] == ':' && buf[q + 1] == SP
                        && VendorTags.ciscoAt(buf, q + 2, end)) {
                    host = NAMES.get(buf, c.pos, p); // ASA "logging device-id", no timestamp
                    c.pos = q + 2;
                }
            }
        }
        ClockStatus marker = ClockStatus.CLOCK_STATUS_UNSPECIFIED;
        if (c.peek() == '*' && monthAt(buf, c.pos + 1, end) >= 0) {
            marker = ClockStatus.CLOCK_STATUS_NOT_AUTHORITATIVE;
            c.pos++;
        } else if (c.peek() == '.' && monthAt(buf, c.pos + 1, end) >= 0) {
            marker = ClockStatus.CLOCK_STATUS_NOT_SYNCHRONIZED;
            c.pos++;
        }
        boolean prefixed = nxColon || seq >= 0 || host != null || marker != ClockStatus.CLOCK_STATUS_UNSPECIFIED;
        Stamp stamp = clock(c, x);
        boolean uptime = false;
        if (stamp != null) {
            if (c.peek() == ':' && (c.at(1) == SP || c.at(1) < 0)) {
                c.pos = Math.min(end, c.pos + 2);
            } else if (c.peek() == SP) {
                if (!prefixed) {
                    int hs = c.pos + 1;
                    if (VendorTags.ciscoAt(buf, hs, end)) {
                        c.pos = hs; // "Mar 10 11:59:58 %ASA-6-302013: ..." (no host)
                    } else {
                        int he = hs;
                        while (he < end && buf[he] != SP) {
                            he++;
                        }
                        int q = he + 1;
                        if (he > hs && buf[he - 1] == ':' && he - hs > 1 && VendorTags.ciscoAt(buf, q, end)) {
                            host = NAMES.get(buf, hs, he - 1);
                            c.pos = q;
                        } else if (he > hs && buf[he - 1] != ':' && VendorTags.ciscoAt(buf, q, end)) {
                            host = NAMES.get(buf, hs, he); // NX-OS / origin-id: "TIMESTAMP host %TAG"
                            c.pos = q;
                        } else if (he > hs && q + 1 < end && buf[q] == ':' && buf[q + 1] == SP
                                && VendorTags.ciscoAt(buf, q + 2, end)) {
                            host = NAMES.get(buf, hs, he); // ASA "logging device-id": "TIMESTAMP host : %ASA"
                            c.pos = q + 2;
                        } else if (relayed) {
                            c.pos = start;
                            return NONE;
                        } else {
                            x.stamp = stamp;
                            return BSD;
                        }
                    }
                } else {
                    c.pos++;
                }
            } else if (c.pos < end && !prefixed) {
                if (relayed) {
                    c.pos = start;
                    return NONE;
                }
                x.stamp = stamp; // junk glued to the timestamp: RFC 3164 keeps it as MSG
                return BSD;
            } else if (c.pos >= end && !prefixed) {
                if (relayed) {
                    c.pos = start;
                    return NONE;
                }
                x.stamp = stamp;
                return BSD;
            }
        } else {
            int u = uptimeEnd(buf, c.pos, end);
            if (u > 0) {
                uptime = true;
                c.pos = u;
            } else if (!VendorTags.ciscoAt(buf, c.pos, end)) {
                c.pos = start;
                return NONE;
            }
        }
        b.setFormat(stamp != null || host != null || seq >= 0 || uptime || nxColon
                ? Format.FORMAT_RFC3164 : Format.FORMAT_UNSTRUCTURED);
        if (stamp != null) {
            stamp.apply(b);
        }
        if (host != null) {
            b.setHostname(host);
        }
        b.setClockStatus(marker);
        setMessage(c, b, c.pos, end);
        VendorTag.Builder tag = VendorTags.ciscoTag(c.text, c.textStart, c.textEnd);
        Dialect dialect;
        if (tag != null && (tag.getFacility().equals("ASA") || tag.getFacility().equals("FTD"))) {
            dialect = Dialect.DIALECT_CISCO_ASA;
        } else if (nxColon || (stamp != null && stamp.yearFirst)) {
            dialect = Dialect.DIALECT_CISCO_NXOS;
        } else {
            dialect = Dialect.DIALECT_CISCO_IOS;
        }
        if (tag == null) {
            tag = VendorTag.newBuilder().setVendor("cisco");
        }
        if (seq >= 0) {
            tag.setSequenceNumber(seq);
        }
        b.setVendor(tag).setDialect(dialect);
        List<String> ifs = new ArrayList<>(2);
        scanInterfaces(c, dialect == Dialect.DIALECT_CISCO_ASA, ifs);
        addInterfaces(b, ifs);
        return DONE;
    }

    /**
     * Cisco uptime stamps ({@code service timestamps log uptime}): {@code 00:00:45: },
     * {@code 2d03h: }, {@code 1w2d: }, {@code 1y2w: }. Returns the index after ": " or -1.
     */
    private static int uptimeEnd(byte[] buf, int p, int end) {
        int i = p;
        // hh:mm:ss
        if (i + 9 < end && isDigit(buf[i]) && isDigit(buf[i + 1]) && buf[i + 2] == ':' && isDigit(buf[i + 3])
                && isDigit(buf[i + 4]) && buf[i + 5] == ':' && isDigit(buf[i + 6]) && isDigit(buf[i + 7])
                && buf[i + 8] == ':' && buf[i + 9] == SP) {
            return i + 10;
        }
        int units = 0;
        while (i < end && units < 3) {
            int d = i;
            while (i < end && isDigit(buf[i])) {
                i++;
            }
            if (i == d || i >= end) {
                return -1;
            }
            byte u = buf[i];
            if (u != 'y' && u != 'w' && u != 'd' && u != 'h' && u != 'm') {
                return -1;
            }
            i++;
            units++;
            if (i + 1 < end && buf[i] == ':' && buf[i + 1] == SP) {
                return units >= 2 ? i + 2 : -1;
            }
        }
        return -1;
    }

    /** "2024 Mar " at {@code p}: an NX-OS year-first timestamp. */
    private static boolean yearFirstAt(byte[] buf, int p, int end) {
        return p + 9 <= end && isDigit(buf[p]) && isDigit(buf[p + 1]) && isDigit(buf[p + 2]) && isDigit(buf[p + 3])
                && buf[p + 4] == SP && monthAt(buf, p + 5, end) > 0;
    }

    /** The month (1-12) whose abbreviation and a space start at {@code p}, else -1. */
    private static int monthAt(byte[] buf, int p, int end) {
        if (p + 4 > end || buf[p + 3] != SP) {
            return -1;
        }
        // The three bytes as one int against the table: this runs several times a header.
        int key = (buf[p] & 0xFF) << 16 | (buf[p + 1] & 0xFF) << 8 | (buf[p + 2] & 0xFF);
        for (int i = 0; i < MONTH_KEYS.length; i++) {
            if (MONTH_KEYS[i] == key) {
                return i + 1;
            }
        }
        return -1;
    }

    /**
     * A header timestamp at the cursor, else null (cursor unchanged): {@code Mmm dd[ yyyy]
     * hh:mm:ss[.frac]} (RFC 3164, Cisco, ASA), {@code yyyy Mmm dd hh:mm:ss[.frac]} (NX-OS) or
     * RFC 3339 (rsyslog's high-precision forwarding, ASA {@code logging timestamp rfc5424}).
     * A zone name after it ({@code UTC:}) is taken when a ':' follows it, or, after an NX-OS
     * year-first time, when it is a known name.
     */
    private Stamp clock(Cursor c, Ctx x) {
        byte[] buf = c.buf;
        int start = c.pos;
        int end = c.end;
        int year = -1;
        int month;
        boolean yearFirst = false;
        if ((month = monthAt(buf, c.pos, end)) > 0) {
            c.pos += 4;
        } else if (c.has(9) && isDigit(buf[c.pos]) && isDigit(buf[c.pos + 1]) && isDigit(buf[c.pos + 2])
                && isDigit(buf[c.pos + 3]) && buf[c.pos + 4] == SP && (month = monthAt(buf, c.pos + 5, end)) > 0) {
            year = c.digits(4);
            c.pos += 5;
            yearFirst = true;
        } else if (isDigit(c.peek())) {
            Stamp s = new Stamp();
            if (parseTimestamp5424(c, s) == null && s.zoneSource != null) {
                return s;
            }
            c.pos = start;
            return null;
        } else {
            return null;
        }
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
        if (day < 1 || day > 31 || !c.skip(SP)) {
            c.pos = start;
            return null;
        }
        if (year < 0 && c.has(5) && isDigit(buf[c.pos]) && isDigit(buf[c.pos + 1]) && isDigit(buf[c.pos + 2])
                && isDigit(buf[c.pos + 3]) && buf[c.pos + 4] == SP) {
            year = c.digits(4); // "Mar  1 2024 18:46:11" (Cisco "year", ASA)
            c.pos++;
        }
        int hour = c.digits(2);
        if (hour < 0 || !c.skip((byte) ':')) {
            c.pos = start;
            return null;
        }
        int minute = c.digits(2);
        if (minute < 0 || !c.skip((byte) ':')) {
            c.pos = start;
            return null;
        }
        int second = c.digits(2);
        if (second < 0 || hour > 24 || minute > 59 || second > 60) {
            c.pos = start;
            return null;
        }
        int nanos = 0;
        int fractionDigits = 0;
        if (c.peek() == '.' && isDigit(c.at(1))) {
            c.pos++;
            while (isDigit(c.peek())) {
                int d = c.next() - '0';
                if (fractionDigits < 9) {
                    nanos = nanos * 10 + d;
                    fractionDigits++;
                }
            }
            for (int i = fractionDigits; i < 9; i++) {
                nanos *= 10;
            }
        }
        Stamp s = new Stamp();
        s.fractionDigits = fractionDigits;
        s.yearFirst = yearFirst;
        // Zone name: " UTC:" (Cisco show-timezone), or a known name after an NX-OS time;
        // looked up on the bytes (zoneSlot: its slot in the table, -1 when unknown or none).
        int zoneSlot = -1;
        if (c.peek() == SP && upper(c.at(1))) {
            int zs = c.pos + 1;
            int ze = zs;
            while (ze < end && ze - zs < 6 && (upper(buf[ze]) || isDigit(buf[ze]))) {
                ze++;
            }
            if (ze < end || yearFirst) {
                zoneSlot = ZoneNames.slot(buf, zs, ze);
                boolean colon = ze < end && buf[ze] == ':';
                if (colon || (yearFirst && zoneSlot >= 0 && (ze >= end || buf[ze] == SP))) {
                    s.zoneName = zoneSlot >= 0 ? ZoneNames.name(zoneSlot) : ascii(buf, zs, ze);
                    c.pos = ze;
                } else {
                    zoneSlot = -1;
                }
            }
        }
        Integer offset = zoneSlot >= 0 ? ZoneNames.offsetSeconds(zoneSlot) : null;
        ZoneId zone = offset != null ? ZoneNames.offset(zoneSlot) : x.zone;
        s.zoneSource = offset != null ? ZoneSource.ZONE_SOURCE_ZONE_NAME : x.zoneSource;
        s.offsetSeconds = offset;
        boolean leap = second == 60;
        try {
            if (year < 0) {
                long t = inferYear(month, day, hour, minute, leap ? 59 : second, zone);
                if (t == Long.MIN_VALUE) {
                    c.pos = start;
                    return null;
                }
                s.unixNanos = t * 1_000_000_000L + (leap ? 999_999_999 : nanos);
                s.yearInferred = true;
            } else if (zone instanceof ZoneOffset o) {
                // The common case (UTC, a zone name's offset): arithmetic, no ZonedDateTime.
                long t = epochSecond(year, month, day, hour, minute, leap ? 59 : second, null, o.getTotalSeconds());
                if (t == Long.MIN_VALUE) {
                    c.pos = start;
                    return null;
                }
                s.unixNanos = t * 1_000_000_000L + (leap ? 999_999_999 : nanos);
            } else {
                ZonedDateTime t = ZonedDateTime.of(year, month, day, hour == 24 ? 0 : hour, minute,
                        leap ? 59 : second, 0, zone);
                if (hour == 24) {
                    t = t.plusDays(1);
                }
                s.unixNanos = t.toEpochSecond() * 1_000_000_000L + (leap ? 999_999_999 : nanos);
            }
        } catch (DateTimeException | ArithmeticException e) {
            c.pos = start;
            return null;
        }
        return s;
    }

    /**
     * RFC 3164 after its timestamp ({@code x.stamp}, cursor just after it): HOSTNAME, TAG,
     * MSG, then what the MSG says about its sender's dialect.
     */
    private void bsdRest(Cursor c, SyslogMessage.Builder b, Ctx x) {
        b.setFormat(Format.FORMAT_RFC3164);
        x.stamp.apply(b);
        if (!c.skip(SP)) {
            // Timestamp then end of message (or junk glued to it): keep what follows as MSG.
            setMessage(c, b, c.pos, c.end);
            classifyBody(b, x, c, true);
            return;
        }
        // HOSTNAME, unless the sender left it out and the next token is already the TAG
        // ("app[12]:" or "app:"), which many daemons do when logging to a remote host.
        int tokenStart = c.pos;
        while (c.pos < c.end && c.buf[c.pos] != SP) {
            c.pos++;
        }
        int tokenEnd = c.pos;
        if (tokenEnd == tokenStart) {
            // two spaces: no HOSTNAME, no TAG
            setMessage(c, b, c.pos, c.end);
            classifyBody(b, x, c, true);
            return;
        }
        boolean isTag = c.buf[tokenEnd - 1] == ':' || indexOf(c.buf, tokenStart, tokenEnd, (byte) '[') >= 0;
        if (isTag) {
            c.pos = tokenStart;
        } else {
            b.setHostname(NAMES.get(c.buf, tokenStart, tokenEnd));
            c.skip(SP);
            // A relay (rsyslog, syslog-ng) put its header before a Cisco device's own.
            int p = c.peek();
            if (p == '%' || p == '*' || p == '.' || isDigit(p)) {
                if (vendorHeader(c, b, x, true) == DONE) {
                    return;
                }
            }
        }
        parseTag(c, b);
        setMessage(c, b, c.pos, c.end);
        classifyBody(b, x, c, true);
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
            procId = NAMES.get(c.buf, p + 1, close);
            p = close + 1;
        }
        if (p < c.end && c.buf[p] == ':') {
            p++;
        } else if (!(p < c.end && c.buf[p] == SP && !procId.isEmpty())) {
            return; // "word rest" with no ':' is message text, not a TAG
        }
        b.setAppName(NAMES.get(c.buf, start, nameEnd)).setProcId(procId);
        if (p < c.end && c.buf[p] == SP) {
            p++;
        }
        c.pos = p;
    }

    // ---- dialects of the MSG ----------------------------------------------------------

    /**
     * What the MSG of an RFC 3164 message (or a header-less one) says about its sender:
     * Arista EOS (agent TAG + Cisco-style tag), Junos (event tag), PAN-OS CSV, FortiOS
     * key=value; else generic.
     */
    private void classifyBody(SyslogMessage.Builder b, Ctx x, Cursor c, boolean hadHeader) {
        if (hadHeader && !b.getAppName().isEmpty()) {
            VendorTag.Builder tag = VendorTags.ciscoTag(c.text, c.textStart, c.textEnd);
            if (tag != null) {
                b.setVendor(tag.setVendor("arista")).setDialect(Dialect.DIALECT_ARISTA_EOS);
                scanInterfaces(b, c);
                return;
            }
        }
        String junos = junosTag(c);
        if (hadHeader && (junos != null || b.getAppName().equals("/kernel"))) {
            VendorTag.Builder v = VendorTag.newBuilder().setVendor("juniper");
            if (junos != null) {
                v.setMnemonic(junos);
            }
            b.setVendor(v).setDialect(Dialect.DIALECT_JUNOS);
            scanInterfaces(b, c);
            return;
        }
        if (vendorFields(b, x, c)) {
            return;
        }
        b.setDialect(Dialect.DIALECT_GENERIC);
    }

    /** Dialect of an RFC 5424 message: Junos (PEN 2636 SD or event-tag MSGID), Cisco, FortiOS, PAN-OS. */
    private void classify5424(SyslogMessage.Builder b, Cursor c) {
        boolean junosSd = false;
        // By index: the builder's getStructuredDataList() wraps its list on every call.
        int elements = b.getStructuredDataCount();
        for (int i = 0; i < elements; i++) {
            StructuredDataElement e = b.getStructuredData(i);
            if (e.getId().endsWith("@2636") || e.getId().contains("@2636.")) {
                junosSd = true;
                break;
            }
        }
        String msgTag = junosTag(c);
        boolean msgIdTag = VendorTags.junosTag(b.getMsgId());
        if (junosSd || msgIdTag || msgTag != null) {
            String tag = msgIdTag ? b.getMsgId() : msgTag;
            VendorTag.Builder v = VendorTag.newBuilder().setVendor("juniper");
            if (tag != null) {
                v.setMnemonic(tag);
            }
            b.setVendor(v).setDialect(Dialect.DIALECT_JUNOS);
            List<String> ifs = new ArrayList<>(2);
            for (int i = 0; i < elements; i++) {
                for (StructuredDataParam p : b.getStructuredData(i).getParamsList()) {
                    if (p.getName().endsWith("interface") || p.getName().endsWith("interface-name")) {
                        InterfaceNames.addValue(p.getValue(), ifs);
                    }
                }
            }
            scanInterfaces(c, false, ifs);
            addInterfaces(b, ifs);
            return;
        }
        VendorTag.Builder tag = VendorTags.ciscoTag(c.text, c.textStart, c.textEnd);
        if (tag != null) {
            boolean asa = tag.getFacility().equals("ASA") || tag.getFacility().equals("FTD");
            // IOS-XE/IOS-XR "logging format rfc5424" and relays that wrap a Cisco line in
            // RFC 5424: the tag says Cisco, the header cannot tell IOS from NX-OS.
            b.setVendor(tag).setDialect(asa ? Dialect.DIALECT_CISCO_ASA : Dialect.DIALECT_CISCO_IOS);
            List<String> ifs = new ArrayList<>(2);
            scanInterfaces(c, asa, ifs);
            addInterfaces(b, ifs);
            return;
        }
        if (!vendorFields(b, new Ctx(localZone, ZoneSource.ZONE_SOURCE_LISTENER), c)) {
            b.setDialect(Dialect.DIALECT_GENERIC);
        }
    }

    /**
     * A Junos event tag at the start of MSG, or after one source token as the PFE writes
     * it ({@code fpc0 PFE_FW_SYSLOG_IP: ...}, {@code node0.fpc0 ...}); else null.
     */
    private static String junosTag(Cursor c) {
        byte[] t = c.text;
        int from = c.textStart;
        int to = c.textEnd;
        String tag = VendorTags.junosAt(t, from, to);
        if (tag != null) {
            return tag;
        }
        int sp = indexOf(t, from, to, SP);
        if (sp <= from || sp - from > 32) {
            return null;
        }
        for (int i = from; i < sp; i++) {
            byte ch = t[i];
            if (!((ch >= 'a' && ch <= 'z') || isDigit(ch) || ch == '.')) {
                return null;
            }
        }
        return VendorTags.junosAt(t, sp + 1, to);
    }

    private static void addInterfaces(SyslogMessage.Builder b, List<String> ifs) {
        if (ifs.size() == 1) {
            b.addInterfaces(ifs.get(0)); // the common case; addAll's checks and copies cost more
        } else if (!ifs.isEmpty()) {
            b.addAllInterfaces(ifs);
        }
    }

    private static void scanInterfaces(SyslogMessage.Builder b, Cursor c) {
        List<String> ifs = new ArrayList<>(2);
        scanInterfaces(c, false, ifs);
        addInterfaces(b, ifs);
    }

    /** Interface names in the MSG, read from its one-byte-per-character text (no copy when ASCII). */
    private static void scanInterfaces(Cursor c, boolean asaNameifs, List<String> ifs) {
        InterfaceNames.scan(c.text, c.textStart, c.textEnd, asaNameifs, ifs);
    }

    /** FortiOS key=value or PAN-OS CSV in the MSG: fields, vendor tag, host, time. */
    private boolean vendorFields(SyslogMessage.Builder b, Ctx x, Cursor c) {
        if (c.messageEmpty()) {
            return false;
        }
        byte first = c.text[c.textStart];
        if (first >= 'a' && first <= 'z' && VendorFields.isFortios(c.text, c.textStart, c.textEnd)) {
            // Straight into the builder's (empty) map: one hash per pair. The values read
            // below come back in f rather than from the map.
            @SuppressWarnings("deprecation")
            Map<String, String> fields = b.getMutableFields();
            String[] f = new String[VendorFields.WANTED_COUNT];
            if (c.textReceived) {
                VendorFields.fortiosPairs(c.text, c.textStart, c.textEnd, true, fields, f);
            } else {
                byte[] utf8 = c.message().getBytes(StandardCharsets.UTF_8);
                VendorFields.fortiosPairs(utf8, 0, utf8.length, false, fields, f);
            }
            b.setDialect(Dialect.DIALECT_FORTIOS);
            String type = f[VendorFields.TYPE];
            String subtype = f[VendorFields.SUBTYPE];
            String devname = f[VendorFields.DEVNAME];
            String logid = f[VendorFields.LOGID];
            List<String> ifs = new ArrayList<>(2);
            InterfaceNames.addValue(f[VendorFields.SRCINTF], ifs);
            InterfaceNames.addValue(f[VendorFields.DSTINTF], ifs);
            InterfaceNames.addValue(f[VendorFields.INTF], ifs);
            InterfaceNames.addValue(f[VendorFields.INTERFACE], ifs);
            VendorTag.Builder v = VendorTag.newBuilder().setVendor("fortinet");
            if (type != null) {
                v.setFacility(type);
            }
            if (subtype != null) {
                v.setMnemonic(subtype);
            }
            b.setVendor(v);
            if (b.getHostname().isEmpty() && devname != null) {
                b.setHostname(devname);
            }
            if (b.getMsgId().isEmpty() && logid != null) {
                b.setMsgId(logid);
            }
            if (!b.hasTimestampUnixNanos()) {
                fortiosTime(b, x, f[VendorFields.EVENTTIME], f[VendorFields.DATE], f[VendorFields.TIME], f[VendorFields.TZ]);
            }
            addInterfaces(b, ifs);
            return true;
        }
        if ((isDigit(first) || first == ',') && indexOf(c.text, c.textStart, c.textEnd, (byte) ',') >= 0) {
            String msg = c.message();
            String type = VendorFields.panosType(msg);
            if (type != null) {
                @SuppressWarnings("deprecation")
                Map<String, String> fields = b.getMutableFields();
                String[] head = VendorFields.panos(type, msg, fields);
                b.setDialect(Dialect.DIALECT_PANOS);
                VendorTag.Builder v = VendorTag.newBuilder().setVendor("paloalto").setFacility(type);
                if (head[1] != null) {
                    v.setMnemonic(head[1]);
                }
                b.setVendor(v);
                if (!b.hasTimestampUnixNanos() && head[0] != null) {
                    panosTime(b, x, head[0]);
                }
                List<String> ifs = new ArrayList<>(2);
                InterfaceNames.addValue(fields.get("inbound_if"), ifs);
                InterfaceNames.addValue(fields.get("outbound_if"), ifs);
                addInterfaces(b, ifs);
                return true;
            }
        }
        return false;
    }

    /** FortiOS time: eventtime (epoch s/ms/µs/ns by its length), else date + time [+ tz]. */
    private static void fortiosTime(SyslogMessage.Builder b, Ctx x, String eventtime, String date, String time,
                                    String tz) {
        if (eventtime != null && !eventtime.isEmpty() && eventtime.length() <= 19 && allDigits(eventtime)) {
            long v = Long.parseLong(eventtime);
            int n = eventtime.length();
            long nanos;
            int digits;
            if (n >= 17) {
                nanos = v;
                digits = 9;
            } else if (n >= 14) {
                nanos = v * 1_000L;
                digits = 6;
            } else if (n >= 11) {
                nanos = v * 1_000_000L;
                digits = 3;
            } else {
                nanos = v * 1_000_000_000L;
                digits = 0;
            }
            b.setTimestampUnixNanos(nanos).setTimestampFractionDigits(digits)
                    .setTimestampZoneSource(ZoneSource.ZONE_SOURCE_EPOCH);
            return;
        }
        if (date == null || time == null) {
            return;
        }
        try {
            LocalDateTime local = fortiosLocal(date, time);
            Integer offset = tz == null ? null : numericOffset(tz);
            if (offset != null) {
                b.setTimestampUnixNanos(local.toEpochSecond(ZoneOffset.ofTotalSeconds(offset)) * 1_000_000_000L
                                + local.getNano())
                        .setTimestampUtcOffsetSeconds(offset)
                        .setTimestampZoneSource(ZoneSource.ZONE_SOURCE_OFFSET);
            } else {
                b.setTimestampUnixNanos(local.atZone(x.zone).toEpochSecond() * 1_000_000_000L + local.getNano())
                        .setTimestampZoneSource(x.zoneSource);
            }
        } catch (DateTimeException | ArithmeticException e) {
            // Not a time after all: the fields still carry it as text.
        }
    }

    /**
     * FortiOS date=YYYY-MM-DD time=hh:mm:ss read by position (the ISO parser cost ~1 µs a
     * message); anything else through {@link LocalDateTime#parse}.
     */
    static LocalDateTime fortiosLocal(String date, String time) {
        if (date.length() == 10 && time.length() == 8 && date.charAt(4) == '-' && date.charAt(7) == '-'
                && time.charAt(2) == ':' && time.charAt(5) == ':') {
            int year = digits(date, 0, 4);
            int month = digits(date, 5, 2);
            int day = digits(date, 8, 2);
            int hour = digits(time, 0, 2);
            int minute = digits(time, 3, 2);
            int second = digits(time, 6, 2);
            if ((year | month | day | hour | minute | second) >= 0) {
                return LocalDateTime.of(year, month, day, hour, minute, second); // validates the ranges
            }
        }
        return LocalDateTime.parse(date + "T" + time);
    }

    /** The decimal number of {@code len} digits at {@code at}, or -1 if any is not a digit. */
    private static int digits(String s, int at, int len) {
        int v = 0;
        for (int i = at; i < at + len; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** PAN-OS receive time column "YYYY/MM/DD hh:mm:ss", local time of the firewall. */
    private static void panosTime(SyslogMessage.Builder b, Ctx x, String value) {
        try {
            LocalDateTime local = LocalDateTime.parse(value.replace('/', '-').replace(' ', 'T'));
            b.setTimestampUnixNanos(local.atZone(x.zone).toEpochSecond() * 1_000_000_000L)
                    .setTimestampZoneSource(x.zoneSource);
        } catch (DateTimeException | ArithmeticException e) {
            // Left without a timestamp; the column is in the fields.
        }
    }

    /** "+0100", "-05:00", "+01" → seconds; null when not a numeric offset. */
    private static Integer numericOffset(String tz) {
        String t = tz.trim();
        if (t.length() < 3 || (t.charAt(0) != '+' && t.charAt(0) != '-')) {
            return null;
        }
        String digits = t.substring(1).replace(":", "");
        if (!allDigits(digits) || (digits.length() != 4 && digits.length() != 2)) {
            return null;
        }
        int h = Integer.parseInt(digits.substring(0, 2));
        int m = digits.length() == 4 ? Integer.parseInt(digits.substring(2)) : 0;
        if (h > 18 || m > 59) {
            return null;
        }
        int s = h * 3600 + m * 60;
        return t.charAt(0) == '-' ? -s : s;
    }

    private static boolean allDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) {
                return false;
            }
        }
        return !s.isEmpty();
    }

    private static boolean upper(int c) {
        return c >= 'A' && c <= 'Z';
    }

    /**
     * RFC 3164 timestamps have no year: take the receive year, or the previous one when that
     * would put the message more than a day in the future (a Dec 31 message read on Jan 1).
     * Epoch seconds, or {@link Long#MIN_VALUE} when the date exists in neither year (Feb 30).
     * Plain arithmetic on the zone's rules: this runs for most messages.
     */
    private long inferYear(int month, int day, int hour, int minute, int second, ZoneId zone) {
        long nowSec = Math.floorDiv(clock.millis(), 1000L);
        // A fixed offset (UTC, a zone name's offset: the common case) is used as a number:
        // ZoneOffset.getRules() builds a new ZoneRules on every call. rules stays null then.
        ZoneRules rules = null;
        int fixedOffset = 0;
        if (zone instanceof ZoneOffset o) {
            fixedOffset = o.getTotalSeconds();
        } else {
            rules = zone.getRules();
            if (rules.isFixedOffset()) {
                fixedOffset = rules.getOffset(Instant.EPOCH).getTotalSeconds();
                rules = null;
            }
        }
        int nowOffset = rules == null ? fixedOffset : rules.getOffset(Instant.ofEpochSecond(nowSec)).getTotalSeconds();
        int year = LocalDate.ofEpochDay(Math.floorDiv(nowSec + nowOffset, 86_400L)).getYear();
        // The latest year that is not more than a day ahead: next year for a sender whose
        // clock already passed New Year, this year, or last year for a Dec 31 line on Jan 1.
        for (int y = year + 1; y >= year - 1; y--) {
            long candidate = epochSecond(y, month, day, hour, minute, second, rules, fixedOffset);
            if (candidate != Long.MIN_VALUE && candidate <= nowSec + 86_400L) {
                return candidate;
            }
        }
        // Feb 29 of a leap year that is neither of those: the nearest past leap year.
        for (int y = year - 2; y >= year - 4; y--) {
            long candidate = epochSecond(y, month, day, hour, minute, second, rules, fixedOffset);
            if (candidate != Long.MIN_VALUE) {
                return candidate;
            }
        }
        return Long.MIN_VALUE;
    }

    /** Local time in {@code rules}, or at {@code fixedOffset} seconds when rules is null. */
    private static long epochSecond(int year, int month, int day, int hour, int minute, int second, ZoneRules rules,
                                    int fixedOffset) {
        if (day > monthLength(year, month)) {
            return Long.MIN_VALUE;
        }
        if (rules == null) {
            // LocalDateTime.toEpochSecond(offset)'s arithmetic; the caller checked the ranges.
            return epochDay(year, month, day) * 86_400L
                    + (hour == 24 ? 0 : hour) * 3600 + minute * 60 + second - fixedOffset
                    + (hour == 24 ? 86_400L : 0L);
        }
        LocalDateTime local = LocalDateTime.of(year, month, day, hour == 24 ? 0 : hour, minute, second);
        ZoneOffset offset = rules.isFixedOffset() ? rules.getOffset(Instant.EPOCH) : rules.getOffset(local);
        return local.toEpochSecond(offset) + (hour == 24 ? 86_400L : 0L);
    }

    /** Days in {@code month} (1-12) of {@code year}. */
    private static int monthLength(int year, int month) {
        return Month.of(month).length(Year.isLeap(year));
    }

    /**
     * {@code LocalDate.of(year, month, day).toEpochDay()} for a valid date, without building
     * (and range-checking again) the LocalDate: the same arithmetic, days since 1970-01-01.
     */
    static long epochDay(int year, int month, int day) {
        long y = year;
        long total = 365 * y;
        if (y >= 0) {
            total += (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
        } else {
            total -= y / -4 - y / -100 + y / -400;
        }
        total += (367 * month - 362) / 12;
        total += day - 1;
        if (month > 2) {
            total--;
            if (!Year.isLeap(year)) {
                total--;
            }
        }
        return total - 719_528L; // DAYS_0000_TO_1970
    }

    // ---- helpers -------------------------------------------------------------------------

    /**
     * §6.4: MSG, with a leading UTF-8 BOM noted and removed. Valid UTF-8 (ASCII, the common
     * case) is kept as the received bytes, so serializing the event copies them instead of
     * encoding a String again (that re-encoding was the largest single cost of ingest's
     * event loop). They are not even copied here: the {@code ByteString} is a view of
     * {@code buf}, which the caller hands over (see {@link #decode(byte[], int, int, ZoneId)}).
     * Invalid sequences are replaced (U+FFFD).
     */
    private static void setMessage(SyslogMessage.Builder b, byte[] buf, int start, int end) {
        setMessage(b, buf, start, end, null);
    }

    /** {@link #setMessage(SyslogMessage.Builder, byte[], int, int)}, leaving the text in {@code c} for the classifiers. */
    private static void setMessage(Cursor c, SyslogMessage.Builder b, int start, int end) {
        setMessage(b, c.buf, start, end, c);
    }

    private static void setMessage(SyslogMessage.Builder b, byte[] buf, int start, int end, Cursor c) {
        if (end - start >= 3 && (buf[start] & 0xFF) == 0xEF && (buf[start + 1] & 0xFF) == 0xBB
                && (buf[start + 2] & 0xFF) == 0xBF) {
            b.setMessageHadBom(true);
            start += 3;
        }
        if (isAscii(buf, start, end)) {
            b.setMessageBytes(UnsafeByteOperations.unsafeWrap(buf, start, end - start));
            if (c != null) {
                c.message = null; // made when asked for
                c.text = buf;
                c.textStart = start;
                c.textEnd = end;
                c.textReceived = true;
            }
            return;
        }
        String text = utf8Lenient(buf, start, end);
        if (text.indexOf('\uFFFD') < 0) {
            b.setMessageBytes(UnsafeByteOperations.unsafeWrap(buf, start, end - start));
        } else {
            b.setMessage(text);
        }
        if (c != null) {
            byte[] projected = new byte[text.length()];
            for (int i = 0; i < projected.length; i++) {
                char ch = text.charAt(i);
                projected[i] = ch < 0x80 ? (byte) ch : NON_ASCII;
            }
            c.message = text;
            c.text = projected;
            c.textStart = 0;
            c.textEnd = projected.length;
            c.textReceived = false;
        }
    }

    private static String utf8(byte[] buf, int start, int end) {
        // Fast path: pure ASCII, the common case for network devices.
        if (!isAscii(buf, start, end)) {
            return utf8Lenient(buf, start, end);
        }
        return new String(buf, start, end - start, StandardCharsets.ISO_8859_1);
    }

    /**
     * Whether {@code buf[start, end)} is all ASCII, tested eight bytes at a time (every
     * message's MSG goes through here; byte by byte it was ~4 % of the mix).
     */
    static boolean isAscii(byte[] buf, int start, int end) {
        int i = start;
        for (; i + 8 <= end; i += 8) {
            if (((long) LONGS.get(buf, i) & 0x8080808080808080L) != 0) {
                return false;
            }
        }
        for (; i < end; i++) {
            if (buf[i] < 0) {
                return false;
            }
        }
        return true;
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
        /**
         * The MSG last set through this cursor as text, "" when there is none; null when it
         * is ASCII and no one has asked for the String yet ({@link #message()} makes it).
         */
        String message = "";
        /**
         * The MSG one byte per character in {@code text[textStart, textEnd)}, for the
         * classifiers and scanners, which look for ASCII structure: when the MSG is ASCII,
         * the received bytes themselves ({@code text == buf}, no copy); otherwise its
         * characters with every non-ASCII one as {@link #NON_ASCII}.
         */
        byte[] text = NO_TEXT;
        int textStart;
        int textEnd;
        /** Whether {@code text} is the received bytes (the MSG is ASCII). */
        boolean textReceived;

        Cursor(byte[] buf, int pos, int end) {
            this.buf = buf;
            this.pos = pos;
            this.end = end;
        }

        /** The MSG as a String, made from the received bytes on first use when it is ASCII. */
        String message() {
            if (message == null) {
                message = ascii(text, textStart, textEnd);
            }
            return message;
        }

        boolean messageEmpty() {
            return textEnd == textStart;
        }

        boolean has(int n) {
            return end - pos >= n;
        }

        int peek() {
            return pos < end ? buf[pos] : -1;
        }

        /** The byte {@code i} ahead of the cursor, or -1 past the end. */
        int at(int i) {
            return pos + i < end ? buf[pos + i] : -1;
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
