package io.nocturne.ingest.syslog;

import io.nocturne.ingest.listener.SourceAllowList;
import java.net.InetAddress;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Time zones per exporter, for devices that send local time without an offset (RFC 3164
 * timestamps): entries {@code "CIDR=Zone"} such as {@code "10.1.0.0/16=Europe/Paris"},
 * first match wins, else the listener's zone.
 */
public final class ExporterTimeZones {

    private record Entry(SourceAllowList block, ZoneId zone) {
    }

    private final List<Entry> entries;
    private final ZoneId fallback;

    private ExporterTimeZones(List<Entry> entries, ZoneId fallback) {
        this.entries = entries;
        this.fallback = fallback;
    }

    /** @throws IllegalArgumentException naming the entry that is not "CIDR=Zone" */
    public static ExporterTimeZones parse(List<String> entries, ZoneId fallback) {
        List<Entry> out = new ArrayList<>();
        for (String e : entries == null ? List.<String>of() : entries) {
            int eq = e.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("'" + e + "' is not CIDR=Zone (e.g. 10.1.0.0/16=Europe/Paris)");
            }
            ZoneId zone;
            try {
                zone = ZoneId.of(e.substring(eq + 1).trim());
            } catch (DateTimeException ex) {
                throw new IllegalArgumentException("'" + e + "': unknown time zone (" + ex.getMessage() + ")");
            }
            out.add(new Entry(SourceAllowList.parse(List.of(e.substring(0, eq).trim())), zone));
        }
        return new ExporterTimeZones(List.copyOf(out), fallback);
    }

    public ZoneId zoneOf(InetAddress exporter) {
        for (Entry e : entries) {
            if (e.block().allows(exporter)) {
                return e.zone();
            }
        }
        return fallback;
    }

    /** The zone configured for {@code exporter}, or null when no entry covers it. */
    public ZoneId overrideOf(InetAddress exporter) {
        if (exporter == null) {
            return null;
        }
        for (Entry e : entries) {
            if (e.block().allows(exporter)) {
                return e.zone();
            }
        }
        return null;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }
}
