package io.nocturne.ingest.snmp.mib;

/**
 * Something wrong in a MIB file: a syntax error, an import that does not resolve, an OID
 * whose parent is unknown. A problem never stops the other files or modules from loading.
 *
 * @param source the file (or shipped resource) the problem is in
 * @param line 1-based line, or 0 when the problem concerns the whole file
 * @param reason what is wrong, for an operator
 */
public record MibProblem(String source, int line, String reason) {

    @Override
    public String toString() {
        return source + ":" + line + ": " + reason;
    }
}
