package io.nocturne.bench.harness;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * What a run measured. Every message sent is accounted for: read back from Kafka, dropped
 * by the kernel (receive buffer full), shed by ingest (Kafka could not take it), sent to the
 * dead-letter topic, not acknowledged by the broker, or — the number that must stay 0 —
 * unexplained.
 */
public record LoadReport(String scenario, String run, Transport transport, String target, int exporters,
                         long targetRate, long sent, double sendSeconds, long kernelRcvbufErrors, long kernelInErrors,
                         long listenerKernelDrops,
                         long ingestReceived, long ingestDecoded, long ingestDeadLettered, long ingestShed,
                         long ingestPublished, long ingestPublishFailed, long readBack, long duplicates, double deliverySeconds,
                         Histogram sendToIngest, Histogram ingestToReadback, Histogram sendToReadback,
                         long informsAnswered, Histogram informRoundTrip) {

    public LoadReport(String scenario, String run, Transport transport, String target, int exporters,
                      long targetRate, long sent, double sendSeconds, long kernelRcvbufErrors, long kernelInErrors,
                      long listenerKernelDrops,
                      long ingestReceived, long ingestDecoded, long ingestDeadLettered, long ingestShed,
                      long ingestPublished, long ingestPublishFailed, long readBack, long duplicates,
                      double deliverySeconds, Histogram sendToIngest, Histogram ingestToReadback,
                      Histogram sendToReadback) {
        this(scenario, run, transport, target, exporters, targetRate, sent, sendSeconds, kernelRcvbufErrors,
                kernelInErrors, listenerKernelDrops, ingestReceived, ingestDecoded, ingestDeadLettered, ingestShed,
                ingestPublished, ingestPublishFailed, readBack, duplicates, deliverySeconds, sendToIngest,
                ingestToReadback, sendToReadback, -1, null);
    }

    /** The same report with SNMP INFORM answers: how many, and send → Response-PDU times. */
    public LoadReport withInforms(long answered, Histogram roundTrip) {
        return new LoadReport(scenario, run, transport, target, exporters, targetRate, sent, sendSeconds,
                kernelRcvbufErrors, kernelInErrors, listenerKernelDrops, ingestReceived, ingestDecoded,
                ingestDeadLettered, ingestShed, ingestPublished, ingestPublishFailed, readBack, duplicates,
                deliverySeconds, sendToIngest, ingestToReadback, sendToReadback, answered, roundTrip);
    }

    /** Messages none of the counted causes explains (counters unavailable count as 0). */
    public long unexplained() {
        // The listener's own kernel drop counter when ingest exports it (exact), else the
        // system-wide RcvbufErrors delta (includes other sockets' drops).
        long kernel = listenerKernelDrops >= 0 ? listenerKernelDrops : pos(kernelRcvbufErrors);
        return sent - readBack - kernel - pos(ingestShed) - pos(ingestDeadLettered) - pos(ingestPublishFailed);
    }

    /** sent = read back + kernel drops + shed + dead letters, nothing unexplained. */
    public boolean accounted() {
        return unexplained() == 0;
    }

    private static long pos(long v) {
        return Math.max(0, v);
    }

    public double sendRate() {
        return sendSeconds <= 0 ? 0 : sent / sendSeconds;
    }

    /** Delivered messages per second, first send to last read-back. */
    public double throughput() {
        return deliverySeconds <= 0 ? 0 : readBack / deliverySeconds;
    }

    public String table() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "scenario %s  run %s  %s → %s  exporters %d  rate %s%n", scenario, run,
                transport, target, exporters, targetRate == 0 ? "max" : targetRate + "/s"));
        row(sb, "sent", sent, String.format(Locale.ROOT, "%.0f msg/s over %.2f s", sendRate(), sendSeconds));
        row(sb, "kernel drops (RcvbufErrors)", kernelRcvbufErrors, transport == Transport.UDP ? "system-wide delta" : "n/a for TCP");
        row(sb, "kernel InErrors", kernelInErrors, "system-wide delta");
        row(sb, "kernel drops, this listener", listenerKernelDrops, "nocturne_ingest_kernel_drops_total delta");
        row(sb, "ingest received", ingestReceived, "nocturne_ingest_packets_received_total delta");
        row(sb, "ingest decoded", ingestDecoded, "");
        row(sb, "ingest dead-lettered", ingestDeadLettered, "decode failures");
        row(sb, "ingest shed", ingestShed, "Kafka could not take them");
        row(sb, "ingest published", ingestPublished, "acknowledged by the broker");
        row(sb, "ingest publish failures", ingestPublishFailed, "not acknowledged (timeout, too large...)");
        row(sb, "read back from Kafka", readBack, String.format(Locale.ROOT, "%.0f msg/s delivered", throughput()));
        row(sb, "duplicates", duplicates, "");
        row(sb, "unexplained loss", unexplained(), accounted() ? "accounted: every message explained" : "NOT ACCOUNTED");
        sb.append(String.format(Locale.ROOT, "%-30s %10s %10s %10s %10s %10s%n", "latency (ms)", "p50", "p99", "p99.9", "max", "n"));
        latencyRow(sb, "send → ingest receive", sendToIngest);
        latencyRow(sb, "ingest receive → read back", ingestToReadback);
        latencyRow(sb, "send → read back from Kafka", sendToReadback);
        if (informRoundTrip != null) {
            latencyRow(sb, "INFORM send → Response-PDU", informRoundTrip);
            row(sb, "INFORMs answered", informsAnswered, informsAnswered == sent ? "every INFORM acknowledged"
                    : (sent - informsAnswered) + " not acknowledged (not stored, or lost on the way)");
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, long value, String note) {
        sb.append(String.format(Locale.ROOT, "%-30s %12s  %s%n", name, value < 0 ? "n/a" : Long.toString(value), note));
    }

    private static void latencyRow(StringBuilder sb, String name, Histogram h) {
        sb.append(String.format(Locale.ROOT, "%-30s %10.3f %10.3f %10.3f %10.3f %10d%n", name, ms(h, 50), ms(h, 99),
                ms(h, 99.9), h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1e6, h.getTotalCount()));
    }

    private static double ms(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(percentile) / 1e6;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("scenario", scenario);
        m.put("run", run);
        m.put("transport", transport.name());
        m.put("target", target);
        m.put("exporters", exporters);
        m.put("target_rate_per_second", targetRate);
        m.put("sent", sent);
        m.put("send_seconds", sendSeconds);
        m.put("send_rate_per_second", sendRate());
        m.put("kernel_rcvbuf_errors", kernelRcvbufErrors);
        m.put("kernel_in_errors", kernelInErrors);
        m.put("listener_kernel_drops", listenerKernelDrops);
        m.put("ingest_received", ingestReceived);
        m.put("ingest_decoded", ingestDecoded);
        m.put("ingest_dead_lettered", ingestDeadLettered);
        m.put("ingest_shed", ingestShed);
        m.put("ingest_published", ingestPublished);
        m.put("ingest_publish_failures", ingestPublishFailed);
        m.put("read_back", readBack);
        m.put("duplicates", duplicates);
        m.put("unexplained", unexplained());
        m.put("accounted", accounted());
        m.put("throughput_per_second", throughput());
        m.put("latency_send_to_ingest_ms", latency(sendToIngest));
        m.put("latency_ingest_to_readback_ms", latency(ingestToReadback));
        m.put("latency_send_to_readback_ms", latency(sendToReadback));
        if (informRoundTrip != null) {
            m.put("informs_answered", informsAnswered);
            m.put("latency_inform_round_trip_ms", latency(informRoundTrip));
        }
        return m;
    }

    private static Map<String, Object> latency(Histogram h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", h.getTotalCount());
        m.put("p50", ms(h, 50));
        m.put("p99", ms(h, 99));
        m.put("p99_9", ms(h, 99.9));
        m.put("max", h.getTotalCount() == 0 ? 0 : h.getMaxValue() / 1e6);
        return m;
    }

    public String toJson() {
        return Json.write(toMap());
    }
}
