package io.nocturne.ingest.flow.template;

/**
 * One field of a template: the information element (v9 field type or IPFIX IE id), its
 * enterprise number (0 for IANA / v9) and its length in the data record.
 *
 * @param length octets, or {@link #VARIABLE} (RFC 7011 §7: the record says the length)
 */
public record FieldSpec(int id, int length, long enterprise) {

    /** RFC 7011 §3.2: a field length of 65535 means a variable-length field. */
    public static final int VARIABLE = 0xFFFF;

    public boolean variable() {
        return length == VARIABLE;
    }
}
