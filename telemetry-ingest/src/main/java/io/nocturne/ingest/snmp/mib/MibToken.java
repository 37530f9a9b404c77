package io.nocturne.ingest.snmp.mib;

/**
 * One lexical token of a MIB module.
 *
 * @param kind what the token is
 * @param text the token text; for a {@link Kind#STRING} the contents without the quotes
 * @param line 1-based line where the token starts
 */
record MibToken(Kind kind, String text, int line) {

    enum Kind {
        /** A name: type and value references and keywords alike ({@code ifIndex}, {@code OBJECT-TYPE}). */
        WORD,
        /** A decimal number, possibly negative ({@code -1} in a range or a named number). */
        NUMBER,
        /** A quoted string, possibly spanning lines. */
        STRING,
        /** A binary or hexadecimal string ({@code '0A'H}, {@code '01'B}). */
        BINARY,
        /** Punctuation: {@code ::=}, {@code ..}, {@code { } ( ) [ ] , ; | .}. */
        SYMBOL,
        END_OF_INPUT
    }

    boolean is(String s) {
        return (kind == Kind.WORD || kind == Kind.SYMBOL) && text.equals(s);
    }

    @Override
    public String toString() {
        return switch (kind) {
            case STRING -> "a quoted string";
            case END_OF_INPUT -> "the end of the file";
            default -> "'" + text + "'";
        };
    }
}
