package io.nocturne.ingest.flow;

import io.nocturne.ingest.listener.SourceAllowList;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What options data tells about an exporter: sampling rates (v9 sampler tables, RFC 3954 §6.1; IPFIX
 * RFC 5610/7012 sampler and selector options) by (exporter, domain, sampler id; -1 = the
 * domain's rate), plus the operator's per-exporter overrides ({@code "CIDR=rate"}).
 */
public final class SamplingRates {

    private record Key(String exporter, long domain, long samplerId) {
    }

    private record Override(SourceAllowList block, long rate, String text) {
    }

    /** Bound on learned entries: a flood of bogus sampler ids must not grow memory. */
    static final int MAX_ENTRIES = 100_000;

    private final Map<Key, Long> learned = new ConcurrentHashMap<>();
    private final Map<String, String> applicationNames = new ConcurrentHashMap<>();
    private final List<Override> overrides;

    private SamplingRates(List<Override> overrides) {
        this.overrides = overrides;
    }

    public static SamplingRates none() {
        return new SamplingRates(List.of());
    }

    /**
     * @param entries {@code "10.0.0.0/8=1000"}: exporters in the block sample 1 in 1000; first match wins
     * @throws IllegalArgumentException naming the bad entry
     */
    public static SamplingRates withOverrides(List<String> entries) {
        List<Override> out = new ArrayList<>();
        for (String e : entries == null ? List.<String>of() : entries) {
            int eq = e.lastIndexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("'" + e + "' is not CIDR=rate");
            }
            long rate;
            try {
                rate = Long.parseLong(e.substring(eq + 1).trim());
            } catch (NumberFormatException ex) {
                throw new IllegalArgumentException("'" + e + "': rate is not a number");
            }
            if (rate < 1) {
                throw new IllegalArgumentException("'" + e + "': rate must be >= 1");
            }
            out.add(new Override(SourceAllowList.parse(List.of(e.substring(0, eq).trim())), rate, e));
        }
        return new SamplingRates(List.copyOf(out));
    }

    void learn(String exporter, long domain, long samplerId, long rate) {
        if (learned.size() >= MAX_ENTRIES) {
            learned.clear();
        }
        learned.put(new Key(exporter, domain, samplerId), rate);
    }

    /** The options-data rate for a record, or 0. */
    long fromOptions(String exporter, long domain, long samplerId) {
        if (learned.isEmpty()) {
            return 0;
        }
        Long r = samplerId >= 0 ? learned.get(new Key(exporter, domain, samplerId)) : null;
        if (r == null) {
            r = learned.get(new Key(exporter, domain, -1));
        }
        return r == null ? 0 : r;
    }

    /** The configured rate for an exporter, or 0. */
    long configured(InetAddress exporter) {
        for (Override o : overrides) {
            if (exporter != null && o.block().allows(exporter)) {
                return o.rate();
            }
        }
        return 0;
    }

    boolean hasOverrides() {
        return !overrides.isEmpty();
    }

    private final Map<Key, Long> systemInit = new ConcurrentHashMap<>();

    void learnSystemInit(String exporter, long domain, long unixMillis) {
        if (systemInit.size() >= MAX_ENTRIES) {
            systemInit.clear();
        }
        systemInit.put(new Key(exporter, domain, -1), unixMillis);
    }

    /** The exporter's systemInitTimeMilliseconds from options data, or -1. */
    long systemInit(String exporter, long domain) {
        Long v = systemInit.isEmpty() ? null : systemInit.get(new Key(exporter, domain, -1));
        return v == null ? -1 : v;
    }

    /** RFC 6759 application names from options data (e.g. Cisco NBAR tables). */
    void learnApplication(String exporter, com.google.protobuf.ByteString id, String name) {
        if (applicationNames.size() >= MAX_ENTRIES) {
            applicationNames.clear();
        }
        applicationNames.put(exporter + "/" + java.util.HexFormat.of().formatHex(id.toByteArray()), name);
    }

    String application(String exporter, com.google.protobuf.ByteString id) {
        if (applicationNames.isEmpty()) {
            return null;
        }
        return applicationNames.get(exporter + "/" + java.util.HexFormat.of().formatHex(id.toByteArray()));
    }
}
