package io.nocturne.ingest.syslog;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Zone abbreviations devices write after a timestamp (Cisco {@code service timestamps ...
 * show-timezone}, NX-OS {@code clock timezone}) mapped to their fixed UTC offsets.
 * Abbreviations are ambiguous in general (IST, CST); this table takes the reading a NOC
 * most likely means and is documented in the README. A name not listed is kept as written
 * and the time is read in the exporter's or the listener's zone instead.
 */
final class ZoneNames {

    private static final int H = 3600;

    private static final Map<String, Integer> OFFSETS = Map.ofEntries(
            Map.entry("UTC", 0), Map.entry("GMT", 0), Map.entry("UCT", 0), Map.entry("Z", 0),
            Map.entry("WET", 0), Map.entry("WEST", H), Map.entry("BST", H),
            Map.entry("CET", H), Map.entry("MET", H), Map.entry("CEST", 2 * H), Map.entry("MEST", 2 * H),
            Map.entry("EET", 2 * H), Map.entry("EEST", 3 * H), Map.entry("MSK", 3 * H),
            Map.entry("IST", 5 * H + 1800), Map.entry("SGT", 8 * H), Map.entry("HKT", 8 * H),
            Map.entry("AWST", 8 * H), Map.entry("JST", 9 * H), Map.entry("KST", 9 * H),
            Map.entry("ACST", 9 * H + 1800), Map.entry("AEST", 10 * H), Map.entry("AEDT", 11 * H),
            Map.entry("NZST", 12 * H), Map.entry("NZDT", 13 * H),
            Map.entry("AST", -4 * H), Map.entry("ADT", -3 * H),
            Map.entry("EST", -5 * H), Map.entry("EDT", -4 * H), Map.entry("CST", -6 * H), Map.entry("CDT", -5 * H),
            Map.entry("MST", -7 * H), Map.entry("MDT", -6 * H), Map.entry("PST", -8 * H), Map.entry("PDT", -7 * H),
            Map.entry("AKST", -9 * H), Map.entry("AKDT", -8 * H), Map.entry("HST", -10 * H));

    /**
     * The table looked up by the bytes of the header (no String per message), with the
     * offsets by slot as {@link Integer}s and as {@link ZoneOffset}s, so a lookup builds
     * neither (ZoneOffset.ofTotalSeconds boxes and looks up a concurrent cache on every
     * call: ~5 % of the harness mix).
     */
    private static final AsciiNames NAMES = new AsciiNames(OFFSETS.keySet().toArray(new String[0]));
    private static final Integer[] SECONDS = new Integer[NAMES.slots()];
    private static final ZoneOffset[] ZONES = new ZoneOffset[NAMES.slots()];

    static {
        for (Map.Entry<String, Integer> e : OFFSETS.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.ISO_8859_1);
            int slot = NAMES.slot(name, 0, name.length);
            SECONDS[slot] = e.getValue();
            ZONES[slot] = ZoneOffset.ofTotalSeconds(e.getValue());
        }
    }

    private ZoneNames() {
    }

    /** The slot of the name {@code buf[from, to)}, or -1 when the name is not in the table. */
    static int slot(byte[] buf, int from, int to) {
        return NAMES.slot(buf, from, to);
    }

    /** The name in {@code slot}. */
    static String name(int slot) {
        return NAMES.name(slot);
    }

    /** The offset in seconds of the name in {@code slot}. */
    static Integer offsetSeconds(int slot) {
        return SECONDS[slot];
    }

    /** The offset of the name in {@code slot}, as a zone. */
    static ZoneOffset offset(int slot) {
        return ZONES[slot];
    }
}
