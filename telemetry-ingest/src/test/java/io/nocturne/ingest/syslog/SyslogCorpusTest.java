package io.nocturne.ingest.syslog;

import static org.assertj.core.api.Assertions.assertThat;

import io.nocturne.ingest.decode.DecodeResult;
import io.nocturne.telemetry.v1.StructuredDataElement;
import io.nocturne.telemetry.v1.StructuredDataParam;
import io.nocturne.telemetry.v1.SyslogMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Real device lines (Cisco IOS/IOS-XE/NX-OS/ASA, Junos, Arista EOS, FortiOS, PAN-OS,
 * Linux/rsyslog, edge cases) with the parse a network engineer expects, worked out from the
 * vendors' documented formats: {@code src/test/resources/syslog-corpus/*.yml}. Every key a
 * case lists is compared; an unknown key fails the case (a typo must not pass silently).
 */
class SyslogCorpusTest {

    private static final int MINIMUM_CASES = 150;

    record Case(String file, String name, String line, Instant received, ZoneId zone, ZoneId exporterZone,
                Map<String, Object> expect) {
    }

    static List<Case> cases() throws IOException, URISyntaxException {
        Path dir = Path.of(Objects.requireNonNull(SyslogCorpusTest.class.getResource("/syslog-corpus")).toURI());
        List<Case> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".yml")).sorted().toList()) {
                Map<String, Object> doc;
                try (InputStream in = Files.newInputStream(f)) {
                    doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> defaults = (Map<String, Object>) doc.getOrDefault("defaults", Map.of());
                @SuppressWarnings("unchecked")
                List<Map<String, Object>> list = (List<Map<String, Object>>) doc.get("cases");
                for (Map<String, Object> c : list) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> expect = (Map<String, Object>) c.get("expect");
                    Object received = c.getOrDefault("received", defaults.get("received"));
                    Object zone = c.getOrDefault("zone", defaults.getOrDefault("zone", "UTC"));
                    Object exporterZone = c.get("exporter_zone");
                    out.add(new Case(f.getFileName().toString(), String.valueOf(c.get("name")),
                            String.valueOf(c.get("line")), instant(received), ZoneId.of(String.valueOf(zone)),
                            exporterZone == null ? null : ZoneId.of(String.valueOf(exporterZone)), expect));
                }
            }
        }
        return out;
    }

    private static Instant instant(Object v) {
        if (v instanceof Date d) {
            return d.toInstant(); // SnakeYAML reads unquoted ISO timestamps as Dates
        }
        return Instant.parse(String.valueOf(v));
    }

    @Test
    void theCorpusIsLargeEnoughAndCoversEveryDialect() throws Exception {
        List<Case> all = cases();
        assertThat(all).hasSizeGreaterThanOrEqualTo(MINIMUM_CASES);
        for (SyslogMessage.Dialect d : SyslogMessage.Dialect.values()) {
            if (d == SyslogMessage.Dialect.DIALECT_UNSPECIFIED || d == SyslogMessage.Dialect.UNRECOGNIZED) {
                continue;
            }
            String name = d.name().substring("DIALECT_".length());
            assertThat(all).as("cases of dialect " + name)
                    .anyMatch(c -> name.equals(String.valueOf(c.expect().get("dialect"))));
        }
    }

    @TestFactory
    Stream<DynamicTest> everyLineParsesAsExpected() throws Exception {
        return cases().stream().map(c -> DynamicTest.dynamicTest(c.file() + " " + c.name(), () -> check(c)));
    }

    private static void check(Case c) {
        SyslogDecoder decoder = new SyslogDecoder(c.zone(), Clock.fixed(c.received(), ZoneOffset.UTC));
        byte[] bytes = c.line().getBytes(StandardCharsets.UTF_8);
        DecodeResult<SyslogMessage> result = decoder.decode(bytes, 0, bytes.length, c.exporterZone());
        List<String> problems = new ArrayList<>();
        Object deadLetter = c.expect().get("dead_letter");
        if (deadLetter != null) {
            if (result instanceof DecodeResult.Failed<SyslogMessage> f) {
                expectEqual(problems, "dead_letter", "REASON_" + deadLetter, f.reason().name());
            } else {
                problems.add("dead_letter: expected " + deadLetter + " but decoded to " + result);
            }
            assertThat(problems).as(report(c, result)).isEmpty();
            return;
        }
        assertThat(result).as(report(c, result)).isInstanceOf(DecodeResult.Decoded.class);
        SyslogMessage m = ((DecodeResult.Decoded<SyslogMessage>) result).value();
        for (Map.Entry<String, Object> e : c.expect().entrySet()) {
            compare(problems, m, e.getKey(), e.getValue());
        }
        assertThat(problems).as(report(c, result)).isEmpty();
    }

    private static String report(Case c, Object result) {
        return c.file() + " / " + c.name() + "\n  line: " + c.line() + "\n  decoded: " + result;
    }

    private static void compare(List<String> problems, SyslogMessage m, String key, Object want) {
        switch (key) {
            case "dialect" -> expectEqual(problems, key, "DIALECT_" + want, m.getDialect().name());
            case "parse_status" -> expectEqual(problems, key, "PARSE_STATUS_" + want, m.getParseStatus().name());
            case "format" -> expectEqual(problems, key, "FORMAT_" + want, m.getFormat().name());
            case "facility" -> expectEqual(problems, key, want, m.hasFacility() ? m.getFacility() : null);
            case "severity" -> expectEqual(problems, key, want, m.hasSeverity() ? m.getSeverity() : null);
            case "version" -> expectEqual(problems, key, want, m.getVersion());
            case "timestamp" -> expectEqual(problems, key, want == null ? null : instant(want).toString(),
                    m.hasTimestampUnixNanos() ? Instant.ofEpochSecond(0, m.getTimestampUnixNanos()).toString() : null);
            case "timestamp_year_inferred" -> expectEqual(problems, key, want, m.getTimestampYearInferred());
            case "timestamp_zone_source" -> expectEqual(problems, key, "ZONE_SOURCE_" + want,
                    m.getTimestampZoneSource().name());
            case "timestamp_zone_name" -> expectEqual(problems, key, String.valueOf(want), m.getTimestampZoneName());
            case "timestamp_fraction_digits" -> expectEqual(problems, key, want, m.getTimestampFractionDigits());
            case "timestamp_utc_offset_seconds" -> expectEqual(problems, key, want,
                    m.hasTimestampUtcOffsetSeconds() ? m.getTimestampUtcOffsetSeconds() : null);
            case "clock_status" -> expectEqual(problems, key, "CLOCK_STATUS_" + want, m.getClockStatus().name());
            case "hostname" -> expectEqual(problems, key, text(want), m.getHostname());
            case "app_name" -> expectEqual(problems, key, text(want), m.getAppName());
            case "proc_id" -> expectEqual(problems, key, text(want), m.getProcId());
            case "msg_id" -> expectEqual(problems, key, text(want), m.getMsgId());
            case "message" -> expectEqual(problems, key, text(want), m.getMessage());
            case "message_had_bom" -> expectEqual(problems, key, want, m.getMessageHadBom());
            case "vendor.vendor" -> expectEqual(problems, key, text(want), m.getVendor().getVendor());
            case "vendor.facility" -> expectEqual(problems, key, text(want), m.getVendor().getFacility());
            case "vendor.severity" -> expectEqual(problems, key, want,
                    m.getVendor().hasSeverity() ? m.getVendor().getSeverity() : null);
            case "vendor.mnemonic" -> expectEqual(problems, key, text(want), m.getVendor().getMnemonic());
            case "vendor.sequence_number" -> expectEqual(problems, key, want == null ? null : ((Number) want).longValue(),
                    m.getVendor().hasSequenceNumber() ? m.getVendor().getSequenceNumber() : null);
            case "interfaces" -> expectEqual(problems, key, want == null ? List.of() : ((List<?>) want).stream()
                    .map(SyslogCorpusTest::text).toList(), m.getInterfacesList());
            default -> {
                if (key.startsWith("sd.")) {
                    expectEqual(problems, key, text(want), sdValue(m, key.substring(3)));
                } else if (key.startsWith("fields.")) {
                    expectEqual(problems, key, text(want), m.getFieldsMap().get(key.substring(7)));
                } else {
                    problems.add("unknown expectation key '" + key + "'");
                }
            }
        }
    }

    private static String sdValue(SyslogMessage m, String idAndParam) {
        for (StructuredDataElement e : m.getStructuredDataList()) {
            if (idAndParam.startsWith(e.getId() + ".")) {
                return field(e.getParamsList(), idAndParam.substring(e.getId().length() + 1));
            }
        }
        return null;
    }

    private static String field(List<StructuredDataParam> params, String name) {
        for (StructuredDataParam p : params) {
            if (p.getName().equals(name)) {
                return p.getValue();
            }
        }
        return null;
    }

    /** YAML scalars the author meant as text (a proc_id 1234 or a hostname 10 come as numbers). */
    private static String text(Object v) {
        return v == null ? "" : String.valueOf(v);
    }

    private static void expectEqual(List<String> problems, String key, Object want, Object got) {
        Object w = want instanceof Number n && got instanceof Number ? (Object) n.longValue() : want;
        Object g = got instanceof Number n && want instanceof Number ? (Object) n.longValue() : got;
        if (!Objects.equals(w, g)) {
            problems.add(key + ": expected <" + want + "> but was <" + got + ">");
        }
    }
}
