package io.nocturne.ingest.flow.template;

import io.nocturne.telemetry.v1.FlowRecord;
import java.util.List;

/**
 * A (options) template as learned from an exporter.
 *
 * @param scopeCount   options templates: how many leading fields are scope fields (0 otherwise)
 * @param minLength    the shortest data record it describes (variable fields count 1 octet)
 * @param record       the template record's bytes as exported, for {@code nocturne.flow-templates}
 * @param learnedNanos when it was last received (refreshed on every resend)
 */
public record Template(FlowRecord.Protocol protocol, TemplateKey key, boolean options, int scopeCount,
                       List<FieldSpec> fields, int minLength, boolean hasVariable, byte[] record,
                       long learnedNanos) {

    public static Template of(FlowRecord.Protocol protocol, TemplateKey key, boolean options, int scopeCount,
                              List<FieldSpec> fields, byte[] record, long learnedNanos) {
        int min = 0;
        boolean variable = false;
        for (FieldSpec f : fields) {
            if (f.variable()) {
                variable = true;
                min += 1;
            } else {
                min += f.length();
            }
        }
        return new Template(protocol, key, options, scopeCount, List.copyOf(fields), min, variable, record,
                learnedNanos);
    }

    /** Same fields (a refresh, not a replacement). */
    public boolean sameDefinition(Template other) {
        return other != null && options == other.options && scopeCount == other.scopeCount
                && fields.equals(other.fields);
    }

    public Template refreshed(long nanos) {
        return new Template(protocol, key, options, scopeCount, fields, minLength, hasVariable, record, nanos);
    }
}
