package io.nocturne.ingest.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.nocturne.ingest.decode.DecodeResult;
import io.nocturne.telemetry.v1.DeadLetter.Reason;
import io.nocturne.telemetry.v1.SyslogMessage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SyslogDecoderTest {

    /** Receive clock: 2026-03-10T12:00:00Z. */
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-10T12:00:00Z"), ZoneOffset.UTC);
    private final SyslogDecoder decoder = new SyslogDecoder(ZoneOffset.UTC, CLOCK);

    private SyslogMessage decoded(String text) {
        return decoded(text.getBytes(StandardCharsets.UTF_8));
    }

    private SyslogMessage decoded(byte[] bytes) {
        return decoded(decoder, bytes);
    }

    private static SyslogMessage decoded(SyslogDecoder decoder, String text) {
        return decoded(decoder, text.getBytes(StandardCharsets.UTF_8));
    }

    private static SyslogMessage decoded(SyslogDecoder decoder, byte[] bytes) {
        DecodeResult<SyslogMessage> r = decoder.decode(bytes);
        assertThat(r).isInstanceOf(DecodeResult.Decoded.class);
        return ((DecodeResult.Decoded<SyslogMessage>) r).value();
    }

    private static long nanos(String instant) {
        Instant i = Instant.parse(instant);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    @Test
    void decodesTheRfc5424Example1WithBomAndNilStructuredData() {
        // RFC 5424 §6.5 example 1 (the BOM before the MSG).
        byte[] head = "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - ".getBytes(StandardCharsets.US_ASCII);
        byte[] msg = "'su root' failed for lonvick on /dev/pts/8".getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + 3 + msg.length];
        System.arraycopy(head, 0, all, 0, head.length);
        all[head.length] = (byte) 0xEF;
        all[head.length + 1] = (byte) 0xBB;
        all[head.length + 2] = (byte) 0xBF;
        System.arraycopy(msg, 0, all, head.length + 3, msg.length);

        SyslogMessage m = decoded(all);

        assertThat(m.getFormat()).isEqualTo(SyslogMessage.Format.FORMAT_RFC5424);
        assertThat(m.getFacility()).isEqualTo(4);
        assertThat(m.getSeverity()).isEqualTo(2);
        assertThat(m.getVersion()).isEqualTo(1);
        assertThat(m.getTimestampUnixNanos()).isEqualTo(nanos("2003-10-11T22:14:15.003Z"));
        assertThat(m.getTimestampUtcOffsetSeconds()).isZero();
        assertThat(m.getHostname()).isEqualTo("mymachine.example.com");
        assertThat(m.getAppName()).isEqualTo("su");
        assertThat(m.getProcId()).isEmpty();
        assertThat(m.getMsgId()).isEqualTo("ID47");
        assertThat(m.getStructuredDataList()).isEmpty();
        assertThat(m.getMessageHadBom()).isTrue();
        assertThat(m.getMessage()).isEqualTo("'su root' failed for lonvick on /dev/pts/8");
        assertThat(m.getLength()).isEqualTo(all.length);
    }

    @Test
    void decodesAnOffsetTimestampWithMicrosecondsAndNilTimestamp() {
        // RFC 5424 §6.5 example 2.
        SyslogMessage m = decoded("<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.");
        assertThat(m.getFacility()).isEqualTo(20);
        assertThat(m.getSeverity()).isEqualTo(5);
        assertThat(m.getTimestampUnixNanos()).isEqualTo(nanos("2003-08-24T12:14:15.000003Z"));
        assertThat(m.getTimestampUtcOffsetSeconds()).isEqualTo(-7 * 3600);
        assertThat(m.getHostname()).isEqualTo("192.0.2.1");
        assertThat(m.getProcId()).isEqualTo("8710");
        assertThat(m.getMsgId()).isEmpty();
        assertThat(m.getMessage()).isEqualTo("%% It's time to make the do-nuts.");

        SyslogMessage nil = decoded("<14>1 - host app - - - hello");
        assertThat(nil.hasTimestampUnixNanos()).isFalse();
        assertThat(nil.hasTimestampUtcOffsetSeconds()).isFalse();
        assertThat(nil.getMessage()).isEqualTo("hello");
    }

    @Test
    void decodesStructuredDataWithEscapesAndRepeatedParams() {
        // RFC 5424 §6.5 examples 3 and 4, plus the §6.3.3 escapes.
        SyslogMessage m = decoded("<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 "
                + "[exampleSDID@32473 iut=\"3\" eventSource=\"Application\" eventID=\"1011\"]"
                + "[examplePriority@32473 class=\"high\" class=\"a \\\"quoted\\\" \\] \\\\ \\x\"] An application event");
        assertThat(m.getStructuredDataCount()).isEqualTo(2);
        var first = m.getStructuredData(0);
        assertThat(first.getId()).isEqualTo("exampleSDID@32473");
        assertThat(first.getParamsList()).extracting(p -> p.getName() + "=" + p.getValue())
                .containsExactly("iut=3", "eventSource=Application", "eventID=1011");
        var second = m.getStructuredData(1);
        assertThat(second.getParamsList()).extracting(p -> p.getName() + "=" + p.getValue())
                .containsExactly("class=high", "class=a \"quoted\" ] \\ \\x");
        assertThat(m.getMessage()).isEqualTo("An application event");

        SyslogMessage noMsg = decoded("<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut=\"3\"]");
        assertThat(noMsg.getStructuredDataCount()).isEqualTo(1);
        assertThat(noMsg.getMessage()).isEmpty();
    }

    @Test
    void decodesWhatUtilLinuxLoggerSendsInRfc5424Mode() {
        SyslogMessage m = decoded("<187>1 2026-03-10T11:59:58.123456+00:00 edge-rtr-1 IOSXE 4242 LINK "
                + "[timeQuality tzKnown=\"1\" isSynced=\"0\"][origin@32473 ip=\"10.0.0.1\"] %LINK-3-UPDOWN: Interface Gi0/1, changed state to down\n");
        assertThat(m.getFacility()).isEqualTo(23);
        assertThat(m.getSeverity()).isEqualTo(3);
        assertThat(m.getTimestampUnixNanos()).isEqualTo(nanos("2026-03-10T11:59:58.123456Z"));
        assertThat(m.getStructuredDataList()).extracting(e -> e.getId()).containsExactly("timeQuality", "origin@32473");
        assertThat(m.getMessage()).isEqualTo("%LINK-3-UPDOWN: Interface Gi0/1, changed state to down");
    }

    @Test
    void decodesRfc3164WithHostnameTagAndPid() {
        SyslogMessage m = decoded("<34>Oct 11 22:14:15 mymachine su[230]: 'su root' failed for lonvick on /dev/pts/8");
        assertThat(m.getFormat()).isEqualTo(SyslogMessage.Format.FORMAT_RFC3164);
        assertThat(m.getFacility()).isEqualTo(4);
        assertThat(m.getSeverity()).isEqualTo(2);
        // Oct 11 is after the receive date (Mar 10 2026): it is from last year.
        assertThat(m.getTimestampUnixNanos()).isEqualTo(nanos("2025-10-11T22:14:15Z"));
        assertThat(m.getTimestampYearInferred()).isTrue();
        assertThat(m.hasTimestampUtcOffsetSeconds()).isFalse();
        assertThat(m.getHostname()).isEqualTo("mymachine");
        assertThat(m.getAppName()).isEqualTo("su");
        assertThat(m.getProcId()).isEqualTo("230");
        assertThat(m.getMessage()).isEqualTo("'su root' failed for lonvick on /dev/pts/8");
    }

    @Test
    void decodesRfc3164WithSpacePaddedDayAndNoHostname() {
        SyslogMessage m = decoded("<13>Mar  5 01:02:03 sshd: session opened");
        assertThat(m.getTimestampUnixNanos()).isEqualTo(nanos("2026-03-05T01:02:03Z"));
        assertThat(m.getHostname()).isEmpty();
        assertThat(m.getAppName()).isEqualTo("sshd");
        assertThat(m.getMessage()).isEqualTo("session opened");
    }

    @Test
    void readsRfc3164LocalTimeInTheConfiguredZone() {
        SyslogDecoder paris = new SyslogDecoder(ZoneId.of("Europe/Paris"), CLOCK);
        var r = (DecodeResult.Decoded<SyslogMessage>) paris.decode("<13>Mar 10 09:00:00 host app: x".getBytes(StandardCharsets.US_ASCII));
        assertThat(r.value().getTimestampUnixNanos()).isEqualTo(nanos("2026-03-10T08:00:00Z"));
    }

    @Test
    void readsLocalTimeInTheZoneOfTheExportersBlock() throws Exception {
        ExporterTimeZones zones = ExporterTimeZones.parse(java.util.List.of("10.1.0.0/16=Europe/Paris",
                "10.2.0.0/16=America/New_York"), ZoneOffset.UTC);
        var decoder = new SyslogDatagramDecoder(this.decoder, io.nocturne.common.kafka.Topics.SYSLOG, zones);
        byte[] line = "<13>Mar 10 09:00:00 host app: x".getBytes(StandardCharsets.US_ASCII);
        java.util.function.Function<String, Long> at = ip -> {
            var ctx = new io.nocturne.ingest.decode.ReceiveContext("l", io.nocturne.telemetry.v1.Transport.TRANSPORT_UDP,
                    new java.net.InetSocketAddress(ip, 514), null, 0, false);
            var r = (DecodeResult.Decoded<java.util.List<io.nocturne.telemetry.v1.TelemetryEvent>>) decoder.decode(line, ctx);
            return r.value().get(0).getSyslog().getTimestampUnixNanos();
        };
        assertThat(at.apply("10.1.2.3")).isEqualTo(nanos("2026-03-10T08:00:00Z"));
        assertThat(at.apply("10.2.2.3")).isEqualTo(nanos("2026-03-10T13:00:00Z"));
        assertThat(at.apply("192.0.2.1")).isEqualTo(nanos("2026-03-10T09:00:00Z"));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExporterTimeZones.parse(java.util.List.of("10.0.0.0/8"), ZoneOffset.UTC))
                .hasMessageContaining("is not CIDR=Zone");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ExporterTimeZones.parse(java.util.List.of("10.0.0.0/8=Mars/Olympus"), ZoneOffset.UTC))
                .hasMessageContaining("unknown time zone");
    }

    @Test
    void keepsAPriFollowedByFreeTextAsUnstructured() {
        SyslogMessage m = decoded("<190>%ASA-6-302013: Built inbound TCP connection 1 for outside");
        assertThat(m.getFormat()).isEqualTo(SyslogMessage.Format.FORMAT_UNSTRUCTURED);
        assertThat(m.getFacility()).isEqualTo(23);
        assertThat(m.getSeverity()).isEqualTo(6);
        assertThat(m.getMessage()).isEqualTo("%ASA-6-302013: Built inbound TCP connection 1 for outside");
        assertThat(m.getHostname()).isEmpty();
    }

    @Test
    void readsRfc3339TimestampsInTraditionalFramingAsRsyslogForwardsThem() {
        SyslogMessage m = decoded("<30>2026-03-10T11:59:58.123456+01:00 web-1 nginx[311]: upstream timed out");
        assertThat(m.getFormat()).isEqualTo(SyslogMessage.Format.FORMAT_RFC3164);
        assertThat(m.getTimestampUnixNanos()).isEqualTo(nanos("2026-03-10T10:59:58.123456Z"));
        assertThat(m.getTimestampUtcOffsetSeconds()).isEqualTo(3600);
        assertThat(m.getTimestampYearInferred()).isFalse();
        assertThat(m.getHostname()).isEqualTo("web-1");
        assertThat(m.getAppName()).isEqualTo("nginx");
        assertThat(m.getProcId()).isEqualTo("311");
        assertThat(m.getMessage()).isEqualTo("upstream timed out");
    }

    @Test
    void tagsCiscoFacilitySeverityMnemonicAndSequenceNumbers() {
        SyslogMessage ios = decoded("<189>123: edge-1: *Mar  1 18:46:11.079 UTC: %LINK-3-UPDOWN: Interface GigabitEthernet0/1, changed state to down");
        assertThat(ios.getVendor().getVendor()).isEqualTo("cisco");
        assertThat(ios.getVendor().getFacility()).isEqualTo("LINK");
        assertThat(ios.getVendor().getSeverity()).isEqualTo(3);
        assertThat(ios.getVendor().getMnemonic()).isEqualTo("UPDOWN");
        assertThat(ios.getVendor().getSequenceNumber()).isEqualTo(123);

        SyslogMessage asa = decoded("<166>%ASA-6-302013: Built inbound TCP connection 1 for outside");
        assertThat(asa.getVendor().getFacility()).isEqualTo("ASA");
        assertThat(asa.getVendor().getMnemonic()).isEqualTo("302013");
        assertThat(asa.getVendor().hasSequenceNumber()).isFalse();

        SyslogMessage asaBsd = decoded("<166>Mar 10 11:59:58 fw-3 %ASA-4-106023: Deny tcp src outside:203.0.113.9/51234");
        assertThat(asaBsd.getHostname()).isEqualTo("fw-3");
        assertThat(asaBsd.getVendor().getFacility()).isEqualTo("ASA");
        assertThat(asaBsd.getVendor().getSeverity()).isEqualTo(4);
        assertThat(asaBsd.getVendor().getMnemonic()).isEqualTo("106023");

        SyslogMessage nxos = decoded("<189>: 2026 Mar 10 11:59:58 UTC: %ETHPORT-5-IF_DOWN_LINK_FAILURE: Interface Ethernet1/1 is down");
        assertThat(nxos.getVendor().getFacility()).isEqualTo("ETHPORT");
        assertThat(nxos.getVendor().getMnemonic()).isEqualTo("IF_DOWN_LINK_FAILURE");

        SyslogMessage sub = decoded("<187>1 - rtr IOSXE - - - %PLATFORM-ENVMON-2-FAN: fan tray failure");
        assertThat(sub.getVendor().getFacility()).isEqualTo("PLATFORM-ENVMON");
        assertThat(sub.getVendor().getSeverity()).isEqualTo(2);

        assertThat(decoded("<14>1 - h a - - - 100% done, no tag here").hasVendor()).isFalse();
    }

    @Test
    void severityZeroIsPresentNotAbsent() {
        SyslogMessage m = decoded("<0>1 - - - - - -");
        assertThat(m.hasSeverity()).isTrue();
        assertThat(m.getSeverity()).isZero();
        assertThat(m.getFacility()).isZero();
    }

    @Test
    void replacesInvalidUtf8InsteadOfFailing() {
        byte[] bytes = "<14>1 - h a - - - caf\u00e9 X".getBytes(StandardCharsets.UTF_8);
        bytes[bytes.length - 1] = (byte) 0xFF;
        assertThat(decoded(bytes).getMessage()).isEqualTo("caf\u00e9 \uFFFD");
    }

    @Test
    void rejectsWhatIsNotText() {
        assertThat(decoder.decode(new byte[0])).isEqualTo(DecodeResult.failed(Reason.REASON_EMPTY, "empty datagram"));
        var binary = decoder.decode(new byte[] {0x00, 0x05, 0x00, 0x02, (byte) 0x8a});
        assertThat(binary).isInstanceOf(DecodeResult.Failed.class);
        assertThat(((DecodeResult.Failed<SyslogMessage>) binary).reason()).isEqualTo(Reason.REASON_UNRECOGNIZED_FORMAT);
        assertThat(((DecodeResult.Failed<SyslogMessage>) binary).detail())
                .isEqualTo("not syslog: no <PRI> (RFC 5424 §6.2.1) and control byte 0x00 at byte 0"
                        + " (first bytes: 00 05 00 02 8a)");
        byte[] latin1 = "caf\u00e9 au lait".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(((DecodeResult.Failed<SyslogMessage>) decoder.decode(latin1)).detail()).contains("not valid UTF-8");
    }

    @Test
    void keepsTextWithoutAValidPriAsUnparsedWithTheAssumedPri() {
        for (String text : new String[] {"GET / HTTP/1.1", "<192>1 - - - - - -", "<01>x", "<>x"}) {
            SyslogMessage m = decoded(text);
            assertThat(m.getParseStatus()).as(text).isEqualTo(SyslogMessage.ParseStatus.PARSE_STATUS_UNPARSED);
            assertThat(m.getFormat()).as(text).isEqualTo(SyslogMessage.Format.FORMAT_UNSTRUCTURED);
            assertThat(m.getMessage()).as(text).isEqualTo(text);
            assertThat(m.getFacility()).isEqualTo(1);
            assertThat(m.getSeverity()).isEqualTo(5);
            assertThat(m.getParseError()).contains("RFC 3164 §4.3.3");
        }
    }

    @Test
    void keepsBrokenRfc5424WithTheOffsetAndTheRule() {
        var f = decoded("<14>1 2026-03-10T12:00:00Z host app - - [unterminated@1 a=\"b\"");
        assertThat(f.getParseStatus()).isEqualTo(SyslogMessage.ParseStatus.PARSE_STATUS_MALFORMED_RFC5424);
        assertThat(f.getFormat()).isEqualTo(SyslogMessage.Format.FORMAT_UNSTRUCTURED);
        assertThat(f.getMessage()).isEqualTo("1 2026-03-10T12:00:00Z host app - - [unterminated@1 a=\"b\"");
        assertThat(f.getFacility()).isEqualTo(1);
        assertThat(f.getSeverity()).isEqualTo(6);
        assertThat(f.getHostname()).isEmpty();
        assertThat(f.getParseError()).isEqualTo(
                "RFC 5424 message malformed at byte 61: expected ']' closing SD-ELEMENT [unterminated@1] (§6.3.1)");

        var word = decoded("<14>1 2026-03-10T12:00:00Z host app - - [unterminated@1 a=\"b\" hello");
        assertThat(word.getParseError()).isEqualTo("RFC 5424 message malformed at byte 67: expected =\" after PARAM-NAME hello (§6.3.3)");

        var noOffset = decoded("<14>1 2026-03-10T12:00:00 host app - - - x");
        assertThat(noOffset.getParseError()).contains("TIME-OFFSET ('Z' or ±HH:MM) missing");

        var badDate = decoded("<14>1 2026-02-30T12:00:00Z host app - - - x");
        assertThat(badDate.getParseError()).contains("TIMESTAMP: invalid date or time");
    }

    @Test
    void dateArithmeticAgreesWithJavaTime() {
        // The decoder's epoch-day arithmetic replaces LocalDate on the hot path: every day of
        // years around the Gregorian rules' edges, and all of 1969-2100.
        int[] years = {0, 1, 4, 99, 100, 101, 399, 400, 401, 1582, 1600, 1700, 1899, 1900, 1999, 2000, 2004, 2100,
            2400, 9999};
        java.util.List<Integer> all = new java.util.ArrayList<>();
        for (int y : years) {
            all.add(y);
        }
        for (int y = 1969; y <= 2100; y++) {
            all.add(y);
        }
        for (int year : all) {
            for (int month = 1; month <= 12; month++) {
                int length = java.time.YearMonth.of(year, month).lengthOfMonth();
                for (int day = 1; day <= length; day++) {
                    assertThat(SyslogDecoder.epochDay(year, month, day)).as("%d-%d-%d", year, month, day)
                            .isEqualTo(java.time.LocalDate.of(year, month, day).toEpochDay());
                }
            }
        }
    }

    @Test
    void rfc3164TimesWithAYearReadTheSameAtAnOffsetAndInARegion() {
        // An ASA "Nov 27 2026 12:00:00": a fixed offset takes the arithmetic path, a region
        // with daylight saving the ZonedDateTime one; Feb 29 of a common year is no timestamp.
        SyslogDecoder utc = new SyslogDecoder(ZoneOffset.ofHours(2), Clock.systemUTC());
        SyslogDecoder region = new SyslogDecoder(ZoneId.of("Europe/Helsinki"), Clock.systemUTC());
        String line = "<166>Nov 27 2026 12:00:00 asa01 : %ASA-6-302013: Built outbound TCP connection 1";
        assertThat(decoded(utc, line).getTimestampUnixNanos()).isEqualTo(nanos("2026-11-27T10:00:00Z"));
        assertThat(decoded(region, line).getTimestampUnixNanos()).isEqualTo(nanos("2026-11-27T10:00:00Z"));
        assertThat(decoded(utc, "<166>Feb 29 2026 12:00:00 asa01 : %ASA-6-302013: Built x").hasTimestampUnixNanos())
                .isFalse();
        assertThat(decoded(utc, "<166>Feb 29 2028 23:59:60 asa01 : %ASA-6-302013: Built x").getTimestampUnixNanos())
                .isEqualTo(nanos("2028-02-29T21:59:59.999999999Z"));
    }
}
