package io.nocturne.ingest.flow;

import io.nocturne.ingest.decode.DecodeResult;
import io.nocturne.ingest.flow.ipfix.IpfixDecoder;
import io.nocturne.ingest.flow.netflow5.LegacyNetflowDecoder;
import io.nocturne.ingest.flow.netflow5.Netflow5Decoder;
import io.nocturne.ingest.flow.netflow9.Netflow9Decoder;
import io.nocturne.ingest.flow.template.FieldSpec;
import io.nocturne.ingest.flow.template.Template;
import io.nocturne.ingest.flow.template.TemplateCache;
import io.nocturne.ingest.flow.template.TemplateKey;
import io.nocturne.telemetry.v1.DeadLetter;
import io.nocturne.telemetry.v1.FlowRecord;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * One export packet (NetFlow v5, v9 or IPFIX, told apart by the version field) → the flow
 * records it carries, with their sampling rate resolved. Pure apart from the state it is
 * given: templates, learned sampling rates, held data sets, sequence numbers. Never throws
 * on bad bytes: a broken header is a failure with a reason; a broken set costs that set.
 */
public final class FlowPacketDecoder {

    private final TemplateCache templates;
    private final SamplingRates rates;
    private final PendingSets pending;
    private final FlowEvents events;
    private final SequenceTracker sequences = new SequenceTracker();
    private final Consumer<PendingSets.Held> expired;

    /**
     * @param expired where held data sets go when their template never came (dead letters)
     */
    public FlowPacketDecoder(TemplateCache templates, SamplingRates rates, PendingSets pending, FlowEvents events,
                             Consumer<PendingSets.Held> expired) {
        this.templates = templates;
        this.rates = rates == null ? SamplingRates.none() : rates;
        this.pending = pending == null ? PendingSets.disabled() : pending;
        this.events = events == null ? FlowEvents.NONE : events;
        this.expired = expired == null ? h -> { } : expired;
    }

    /** A decoder with its own in-memory state and no accounting (tests, benchmarks). */
    public static FlowPacketDecoder standalone() {
        return new FlowPacketDecoder(TemplateCache.inMemory(), SamplingRates.none(), PendingSets.disabled(), null,
                null);
    }

    public TemplateCache templates() {
        return templates;
    }

    public FlowEvents events() {
        return events;
    }

    public DecodeResult<List<FlowRecord>> decode(byte[] packet, String exporter, long receiveNanos) {
        return decode(packet, exporter, receiveNanos, null);
    }

    /**
     * @param session the stream session (TCP connection) the packet came in, whose templates
     *                live as long as it does ({@link TemplateCache#put(Template, Object)}); null
     *                for a datagram
     */
    public DecodeResult<List<FlowRecord>> decode(byte[] packet, String exporter, long receiveNanos, Object session) {
        expirePending(receiveNanos);
        if (packet.length < 4) {
            return DecodeResult.failed(packet.length == 0 ? DeadLetter.Reason.REASON_EMPTY
                    : DeadLetter.Reason.REASON_MALFORMED, packet.length + " bytes: shorter than any flow header");
        }
        int version = ((packet[0] & 0xFF) << 8) | (packet[1] & 0xFF);
        List<FlowRecord> out = new ArrayList<>();
        String failure = switch (version) {
            case 1 -> LegacyNetflowDecoder.decodeV1(packet, exporter, receiveNanos, this, out);
            case 5 -> Netflow5Decoder.decode(packet, exporter, receiveNanos, this, out);
            case 7 -> LegacyNetflowDecoder.decodeV7(packet, exporter, receiveNanos, this, out);
            case 9 -> Netflow9Decoder.decode(packet, exporter, receiveNanos, this, out);
            case 10 -> IpfixDecoder.decode(packet, exporter, receiveNanos, session, this, out);
            default -> "version " + version + " is not NetFlow v1/v5/v7/v9 or IPFIX";
        };
        if (failure != null && out.isEmpty()) {
            return DecodeResult.failed(version == 1 || version == 5 || version == 7 || version == 9 || version == 10
                    ? DeadLetter.Reason.REASON_MALFORMED : DeadLetter.Reason.REASON_UNRECOGNIZED_FORMAT, failure);
        }
        return DecodeResult.decoded(out);
    }

    /**
     * Dead-letters held data sets older than the pending timeout. Runs on every decode and,
     * so that a quiet exporter's held data does not wait for its next packet, on a timer.
     */
    public void expirePending(long nowNanos) {
        List<PendingSets.Held> old = pending.expire(nowNanos);
        if (!old.isEmpty()) {
            events.pendingExpired(old.size());
            old.forEach(expired);
        }
    }

    // ---- called by the protocol decoders --------------------------------------------------

    /** Accounts a packet's sequence number (see {@link FlowEvents#sequenceGap}). */
    public void sequence(ExportHeader h, long units, boolean unitsKnown) {
        long lost = sequences.observe(h.protocol(), h.exporter(), h.domain(), h.sequence(), units, unitsKnown);
        if (lost > 0) {
            events.sequenceGap(h.protocol(), h.exporter(), lost);
        }
    }

    /** A (re)sent template: learned, and held data for it decoded into {@code out}. */
    public void learn(Template t, List<FlowRecord> out) {
        learn(t, null, out);
    }

    /** As {@link #learn(Template, List)}, for a template received in a stream session. */
    public void learn(Template t, Object session, List<FlowRecord> out) {
        if (templates.put(t, session)) {
            for (PendingSets.Held h : pending.release(t.key())) {
                dataSet(t, h.header(), h.body(), 0, h.body().length, out);
            }
        }
    }

    public void withdraw(TemplateKey key) {
        templates.withdraw(key);
    }

    public void withdrawAll(String exporter, long domain, boolean options) {
        templates.withdrawAll(exporter, domain, options);
    }

    /**
     * A data set: decoded with its template, or held for it.
     *
     * @return records decoded, or -1 when the template is not known
     */
    public int data(TemplateKey key, ExportHeader h, byte[] buf, int off, int end, List<FlowRecord> out) {
        Template t = templates.get(key, h.receiveNanos());
        if (t == null) {
            events.templateMiss(h.protocol(), h.exporter());
            List<PendingSets.Held> dropped = pending.hold(new PendingSets.Held(key, h,
                    java.util.Arrays.copyOfRange(buf, off, end)));
            if (!dropped.isEmpty()) {
                events.pendingExpired(dropped.size());
                dropped.forEach(expired);
            }
            return -1;
        }
        return dataSet(t, h, buf, off, end, out);
    }

    private int dataSet(Template t, ExportHeader h, byte[] buf, int off, int end, List<FlowRecord> out) {
        int records = 0;
        int min = Math.max(1, t.minLength());
        FlowFields.Scratch s = FlowFields.scratch();
        int pos = off;
        // RFC 3954 §5.3 / RFC 7011 §3.3.1: what is left after the last whole record is padding.
        while (end - pos >= min) {
            FlowRecord.Builder b = FlowRecord.newBuilder();
            s.reset();
            int next = record(t, h, buf, pos, end, b, s);
            if (next < 0) {
                events.malformed(h.protocol());
                break;
            }
            if (next == pos) {
                break; // a template of zero-length fields describes no data: the set is padding
            }
            pos = next;
            records++;
            if (t.options()) {
                options(t, h, b, s);
            } else {
                out.add(finish(t, h, b, s));
            }
        }
        events.decoded(h.protocol(), records);
        return records;
    }

    /** @return the offset after the record, or -1 if it overruns the set */
    private static int record(Template t, ExportHeader h, byte[] buf, int pos, int end, FlowRecord.Builder b,
                              FlowFields.Scratch s) {
        List<FieldSpec> fields = t.fields();
        boolean v9Options = t.options() && h.protocol() == FlowRecord.Protocol.PROTOCOL_NETFLOW_V9;
        for (int i = 0; i < fields.size(); i++) {
            FieldSpec f = fields.get(i);
            int len = f.length();
            if (f.variable()) {
                // RFC 7011 §7: one length octet, or 255 and two more.
                if (pos >= end) {
                    return -1;
                }
                len = buf[pos++] & 0xFF;
                if (len == 255) {
                    if (pos + 2 > end) {
                        return -1;
                    }
                    len = ((buf[pos] & 0xFF) << 8) | (buf[pos + 1] & 0xFF);
                    pos += 2;
                }
            }
            if (pos + len > end) {
                return -1;
            }
            // v9 scope fields (RFC 3954 §6.1: system, interface, line card…) reuse numbers that
            // mean other things in data fields: they are skipped, not misread.
            if (!(v9Options && i < t.scopeCount())) {
                FlowFields.apply(b, s, f.enterprise(), f.id(), buf, pos, len);
            }
            pos += len;
        }
        return pos;
    }

    private void options(Template t, ExportHeader h, FlowRecord.Builder b, FlowFields.Scratch s) {
        long rate = s.packetSamplingRate();
        if (rate > 0) {
            rates.learn(h.exporter(), h.domain(), s.samplerId(), rate);
        }
        if (s.systemInitMillis >= 0) {
            // RFC 7011 / IANA systemInitTimeMillisecond (160) in options data: the base of the
            // sysUpTime-relative flowStart/EndSysUpTime (22/21) of that domain's records (softflowd).
            rates.learnSystemInit(h.exporter(), h.domain(), s.systemInitMillis);
        }
        if (!b.getApplicationId().isEmpty() && !b.getApplicationName().isEmpty()) {
            rates.learnApplication(h.exporter(), b.getApplicationId(), b.getApplicationName());
        }
    }

    private FlowRecord finish(Template t, ExportHeader h, FlowRecord.Builder b, FlowFields.Scratch s) {
        FlowFields.finish(b, s, h.bootMillis() >= 0 ? h.bootMillis() : rates.systemInit(h.exporter(), h.domain()),
                h.exportNanos());
        b.setProtocol(h.protocol()).setObservationDomainId((int) h.domain()).setSequenceNumber(h.sequence())
                .setTemplateId(t.key().templateId());
        if (!b.getApplicationId().isEmpty() && b.getApplicationName().isEmpty()) {
            String name = rates.application(h.exporter(), b.getApplicationId());
            if (name != null) {
                b.setApplicationName(name);
            }
        }
        long rate = s.packetSamplingRate();
        FlowRecord.SamplingSource source = FlowRecord.SamplingSource.SAMPLING_SOURCE_PACKET;
        if (rate <= 0) {
            rate = rates.fromOptions(h.exporter(), h.domain(), s.samplerId());
            source = FlowRecord.SamplingSource.SAMPLING_SOURCE_OPTIONS;
        }
        return scaled(b, h.exporter(), rate, source);
    }

    /** Applies the rate found, else the configured one, else says it is unknown. */
    public FlowRecord scaled(FlowRecord.Builder b, String exporter, long rate, FlowRecord.SamplingSource source) {
        if (rate <= 0 && rates.hasOverrides()) {
            rate = rates.configured(literal(exporter));
            source = FlowRecord.SamplingSource.SAMPLING_SOURCE_CONFIGURED;
        }
        if (rate <= 0) {
            events.unknownSampling(exporter, 1);
            return b.setSamplingSource(FlowRecord.SamplingSource.SAMPLING_SOURCE_UNKNOWN)
                    .setBytesScaled(b.getBytes()).setPacketsScaled(b.getPackets()).build();
        }
        return b.setSamplingRate(rate).setSamplingSource(source)
                .setBytesScaled(saturatingMultiply(b.getBytes(), rate))
                .setPacketsScaled(saturatingMultiply(b.getPackets(), rate)).build();
    }

    private static long saturatingMultiply(long v, long rate) {
        long hi = Math.multiplyHigh(v, rate);
        return hi != 0 || v * rate < 0 ? Long.MAX_VALUE : v * rate;
    }

    private static InetAddress literal(String ip) {
        try {
            // A literal address: no DNS lookup happens.
            return ip.isEmpty() || !(Character.isDigit(ip.charAt(0)) || ip.indexOf(':') >= 0) ? null
                    : InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
