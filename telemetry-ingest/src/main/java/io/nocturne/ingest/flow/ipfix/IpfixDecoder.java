package io.nocturne.ingest.flow.ipfix;

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
 * IPFIX (RFC 7011): a 16-byte message header, then sets: 2 templates, 3 options templates,
 * 256+ data. Enterprise-specific IEs (§3.2, E bit + PEN), variable-length fields (§7) and
 * withdrawals (§8.1: a template record with no fields) are understood; structured data
 * (RFC 6313 basicList / subTemplateList / subTemplateMultiList) is carried as unknown fields.
 */
public final class IpfixDecoder {

    static final int HEADER = 16;

    private IpfixDecoder() {
    }



    /**
     * @param session the TCP connection the message came in (its templates live as long as it
     *                does, RFC 7011 §8), null for UDP
     * @return null, or why (part of) the message cannot be decoded
     */
    public static String decode(byte[] p, String exporter, long receiveNanos, Object session, FlowPacketDecoder state,
                                List<FlowRecord> out) {
        if (p.length < HEADER) {
            return "ipfix: " + p.length + " bytes, shorter than the 16-byte header";
        }
        int length = u16(p, 2);
        if (length < HEADER || length > p.length) {
            return "ipfix: message length " + length + " but " + p.length + " bytes received";
        }
        long exportSecs = u32(p, 4);
        long sequence = u32(p, 8);
        long domain = u32(p, 12);
        ExportHeader h = new ExportHeader(FlowRecord.Protocol.PROTOCOL_IPFIX, exporter, domain, sequence, -1,
                exportSecs * 1_000_000_000L, receiveNanos);
        int pos = HEADER;
        String failure = null;
        long dataRecords = 0;
        boolean allData = true;
        int before = out.size();
        while (pos + 4 <= length) {
            int id = u16(p, pos);
            int len = u16(p, pos + 2);
            if (len < 4 || pos + len > length) {
                failure = "ipfix: set " + id + " at offset " + pos + " has length " + len + ", "
                        + (length - pos) + " bytes left";
                state.events().malformed(h.protocol());
                allData = false;
                break;
            }
            int body = pos + 4;
            int end = pos + len;
            if (id == 2 || id == 3) {
                templates(p, body, end, h, id == 3, session, state, out);
            } else if (id >= 256) {
                int n = state.data(new TemplateKey(exporter, domain, id), h, p, body, end, out);
                if (n < 0) {
                    allData = false;
                } else {
                    dataRecords += n;
                }
            }
            pos = end;
        }
        // RFC 7011 §3.1: the sequence counts data records (options data too) before this message.
        state.sequence(h, dataRecords, allData);
        return out.size() > before ? null : failure;
    }

    private static void templates(byte[] p, int pos, int end, ExportHeader h, boolean options, Object session,
                                  FlowPacketDecoder state, List<FlowRecord> out) {
        int header = options ? 6 : 4;
        while (pos + 4 <= end) {
            int start = pos;
            int templateId = u16(p, pos);
            int count = u16(p, pos + 2);
            if (count == 0) {
                // §8.1: withdrawal; the set id as template id withdraws all of that kind.
                if (templateId == 2 || templateId == 3) {
                    state.withdrawAll(h.exporter(), h.domain(), templateId == 3);
                } else if (templateId >= 256) {
                    state.withdraw(new TemplateKey(h.exporter(), h.domain(), templateId));
                }
                pos += 4;
                continue;
            }
            if (templateId < 256 || pos + header > end) {
                return; // padding (§3.3.1) or broken
            }
            int scopes = options ? u16(p, pos + 4) : 0;
            pos += header;
            List<FieldSpec> fields = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                if (pos + 4 > end) {
                    state.events().malformed(h.protocol());
                    return;
                }
                int raw = u16(p, pos);
                int len = u16(p, pos + 2);
                pos += 4;
                long pen = 0;
                if ((raw & 0x8000) != 0) {
                    if (pos + 4 > end) {
                        state.events().malformed(h.protocol());
                        return;
                    }
                    pen = u32(p, pos);
                    pos += 4;
                }
                fields.add(new FieldSpec(raw & 0x7FFF, len, pen));
            }
            if (options && (scopes == 0 || scopes > count)) {
                state.events().malformed(h.protocol()); // §3.4.2.2: at least one scope field
                continue;
            }
            state.learn(Template.of(h.protocol(), new TemplateKey(h.exporter(), h.domain(), templateId), options,
                    scopes, fields, Arrays.copyOfRange(p, start, pos), h.receiveNanos()), session, out);
        }
    }

    /** Rebuilds a template from its exported record (as kept in {@code nocturne.flow-templates}). */
    public static Template restore(TemplateKey key, boolean options, byte[] r, long learnedNanos) {
        int header = options ? 6 : 4;
        if (r.length < header) {
            return null;
        }
        int count = u16(r, 2);
        int scopes = options ? u16(r, 4) : 0;
        int pos = header;
        List<FieldSpec> fields = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (pos + 4 > r.length) {
                return null;
            }
            int raw = u16(r, pos);
            int len = u16(r, pos + 2);
            pos += 4;
            long pen = 0;
            if ((raw & 0x8000) != 0) {
                if (pos + 4 > r.length) {
                    return null;
                }
                pen = u32(r, pos);
                pos += 4;
            }
            fields.add(new FieldSpec(raw & 0x7FFF, len, pen));
        }
        return Template.of(FlowRecord.Protocol.PROTOCOL_IPFIX, key, options, scopes, fields, r, learnedNanos);
    }
}
