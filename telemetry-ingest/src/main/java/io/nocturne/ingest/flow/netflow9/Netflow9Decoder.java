package io.nocturne.ingest.flow.netflow9;

import static io.nocturne.ingest.flow.Bytes.u16;
import static io.nocturne.ingest.flow.Bytes.u32;

import io.nocturne.ingest.flow.ExportHeader;
import io.nocturne.ingest.flow.FlowPacketDecoder;
import io.nocturne.ingest.flow.template.FieldSpec;
import io.nocturne.ingest.flow.template.Template;
import io.nocturne.ingest.flow.template.TemplateKey;
import io.nocturne.telemetry.v1.FlowRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * NetFlow v9 (RFC 3954): a 20-byte header, then flowsets: 0 templates, 1 options templates,
 * 256+ data. Several flowsets per packet; each may end in padding.
 */
public final class Netflow9Decoder {

    static final int HEADER = 20;

    private Netflow9Decoder() {
    }



    /** @return null, or why (part of) the packet cannot be decoded */
    public static String decode(byte[] p, String exporter, long receiveNanos, FlowPacketDecoder state,
                                List<FlowRecord> out) {
        if (p.length < HEADER) {
            return "v9: " + p.length + " bytes, shorter than the 20-byte header";
        }
        long sysUptime = u32(p, 4);
        long unixSecs = u32(p, 8);
        long sequence = u32(p, 12);
        long sourceId = u32(p, 16);
        ExportHeader h = new ExportHeader(FlowRecord.Protocol.PROTOCOL_NETFLOW_V9, exporter, sourceId, sequence,
                unixSecs * 1000 - sysUptime, unixSecs * 1_000_000_000L, receiveNanos);
        // RFC 3954 §5.1: the sequence counts export packets.
        state.sequence(h, 1, true);
        int pos = HEADER;
        String failure = null;
        while (pos + 4 <= p.length) {
            int id = u16(p, pos);
            int len = u16(p, pos + 2);
            if (len < 4 || pos + len > p.length) {
                // Some exporters (Palo Alto) zero-fill the rest of a large packet: not an error.
                if (!allZero(p, pos)) {
                    failure = "v9: flowset " + id + " at offset " + pos + " has length " + len + ", "
                            + (p.length - pos) + " bytes left";
                    state.events().malformed(h.protocol());
                }
                break;
            }
            int body = pos + 4;
            int end = pos + len;
            if (id == 0) {
                templates(p, body, end, h, state, out);
            } else if (id == 1) {
                optionsTemplates(p, body, end, h, state, out);
            } else if (id >= 256) {
                state.data(new TemplateKey(exporter, sourceId, id), h, p, body, end, out);
            }
            // 2..255: reserved (RFC 3954 §5.2), skipped.
            pos = end;
        }
        return failure;
    }

    private static boolean allZero(byte[] p, int from) {
        for (int i = from; i < p.length; i++) {
            if (p[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static void templates(byte[] p, int pos, int end, ExportHeader h, FlowPacketDecoder state,
                                  List<FlowRecord> out) {
        while (pos + 4 <= end) {
            int templateId = u16(p, pos);
            int count = u16(p, pos + 2);
            if (templateId < 256 || pos + 4 + count * 4 > end) {
                if (templateId != 0) {
                    state.events().malformed(h.protocol());
                }
                return; // the rest is padding, or broken
            }
            int start = pos;
            pos += 4;
            List<FieldSpec> fields = new ArrayList<>(count);
            for (int i = 0; i < count; i++, pos += 4) {
                fields.add(new FieldSpec(u16(p, pos), u16(p, pos + 2), 0));
            }
            state.learn(template(h, templateId, false, 0, fields, Arrays.copyOfRange(p, start, pos)), out);
        }
    }

    private static void optionsTemplates(byte[] p, int pos, int end, ExportHeader h, FlowPacketDecoder state,
                                         List<FlowRecord> out) {
        while (pos + 6 <= end) {
            int templateId = u16(p, pos);
            int scopeBytes = u16(p, pos + 2);
            int optionBytes = u16(p, pos + 4);
            if (templateId < 256 || scopeBytes % 4 != 0 || optionBytes % 4 != 0
                    || pos + 6 + scopeBytes + optionBytes > end) {
                if (templateId != 0) {
                    state.events().malformed(h.protocol());
                }
                return;
            }
            int start = pos;
            pos += 6;
            List<FieldSpec> fields = new ArrayList<>();
            int fieldsEnd = pos + scopeBytes + optionBytes;
            for (; pos < fieldsEnd; pos += 4) {
                fields.add(new FieldSpec(u16(p, pos), u16(p, pos + 2), 0));
            }
            state.learn(template(h, templateId, true, scopeBytes / 4, fields, Arrays.copyOfRange(p, start, pos)),
                    out);
        }
    }

    private static Template template(ExportHeader h, int id, boolean options, int scopes, List<FieldSpec> fields,
                                     byte[] record) {
        return Template.of(h.protocol(), new TemplateKey(h.exporter(), h.domain(), id), options, scopes, fields,
                record, h.receiveNanos());
    }

    /** Rebuilds a template from its exported record (as kept in {@code nocturne.flow-templates}). */
    public static Template restore(TemplateKey key, boolean options, byte[] r, long learnedNanos) {
        List<FieldSpec> fields = new ArrayList<>();
        int scopes = 0;
        int pos;
        if (options) {
            if (r.length < 6) {
                return null;
            }
            scopes = u16(r, 2) / 4;
            pos = 6;
        } else {
            if (r.length < 4) {
                return null;
            }
            pos = 4;
        }
        for (; pos + 4 <= r.length; pos += 4) {
            fields.add(new FieldSpec(u16(r, pos), u16(r, pos + 2), 0));
        }
        return Template.of(FlowRecord.Protocol.PROTOCOL_NETFLOW_V9, key, options, scopes, fields, r, learnedNanos);
    }
}
