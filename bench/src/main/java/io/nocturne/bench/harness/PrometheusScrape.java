package io.nocturne.bench.harness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Sums of metric samples from a Prometheus text endpoint (ingest's {@code /prometheus}),
 * by metric name and optionally a label filter: enough to take before/after deltas of the
 * pipeline's own counters without a Prometheus server.
 */
public final class PrometheusScrape {

    private final Map<String, Double> sums;

    private PrometheusScrape(Map<String, Double> sums) {
        this.sums = sums;
    }

    /** An empty scrape (when the endpoint is not reachable): every value reads as -1. */
    public static PrometheusScrape unavailable() {
        return new PrometheusScrape(null);
    }

    public static PrometheusScrape fetch(URI uri, String labelFilter) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                return unavailable();
            }
            return parse(r.body(), labelFilter);
        } catch (IOException e) {
            return unavailable();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return unavailable();
        }
    }

    /**
     * @param labelFilter a label pair such as {@code listener="syslog-udp"} a sample must carry
     *                    (null: all samples)
     */
    static PrometheusScrape parse(String text, String labelFilter) {
        Map<String, Double> sums = new HashMap<>();
        for (String line : text.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            if (space < 0) {
                continue;
            }
            String name = brace >= 0 && brace < space ? line.substring(0, brace) : line.substring(0, space);
            String labels = brace >= 0 && brace < space ? line.substring(brace, line.indexOf('}', brace) + 1) : "";
            if (labelFilter != null && !labelFilter.isEmpty() && !labels.contains(labelFilter)) {
                continue;
            }
            try {
                sums.merge(name, Double.parseDouble(line.substring(space + 1)), Double::sum);
            } catch (NumberFormatException ignored) {
                // NaN-free exposition; skip anything odd
            }
        }
        return new PrometheusScrape(sums);
    }

    public boolean available() {
        return sums != null;
    }

    /** Whether the scrape has the metric at all. */
    public boolean has(String metric) {
        return sums != null && sums.containsKey(metric);
    }

    /** Sum of the metric's samples, -1 when unavailable, 0 when absent. */
    public long get(String metric) {
        if (sums == null) {
            return -1;
        }
        return Math.round(sums.getOrDefault(metric, 0.0));
    }

    /** after - before for one metric; -1 when either scrape is unavailable. */
    public static long delta(PrometheusScrape before, PrometheusScrape after, String metric) {
        if (!before.available() || !after.available()) {
            return -1;
        }
        return after.get(metric) - before.get(metric);
    }
}
