package io.nocturne.ingest.snmp.mib;

/** A syntax error at a line of a MIB file; caught by {@link MibParser}, never escapes it. */
final class MibSyntaxException extends Exception {

    private final int line;

    MibSyntaxException(int line, String reason) {
        super(reason, null, false, false);
        this.line = line;
    }

    int line() {
        return line;
    }
}
