package io.nocturne.ingest.snmp.mib;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits MIB module text into tokens (ASN.1 lexical rules as SMI uses them, RFC 2578 §3
 * and X.208). Comments run from {@code --} to the end of the line or to the next
 * {@code --} on the same line, whichever comes first. Never throws: an unterminated string
 * or a stray character becomes a {@link MibSyntaxException} only when the parser reaches it.
 */
final class MibLexer {

    private final String text;
    private int pos;
    private int line = 1;

    private MibLexer(String text) {
        this.text = text;
    }

    /** All tokens of {@code text}, ending with one {@link MibToken.Kind#END_OF_INPUT} token. */
    static List<MibToken> tokenize(String text) {
        MibLexer lexer = new MibLexer(text);
        List<MibToken> tokens = new ArrayList<>(text.length() / 6 + 16);
        MibToken t;
        do {
            t = lexer.next();
            tokens.add(t);
        } while (t.kind() != MibToken.Kind.END_OF_INPUT);
        return tokens;
    }

    private MibToken next() {
        skipBlanksAndComments();
        if (pos >= text.length()) {
            return new MibToken(MibToken.Kind.END_OF_INPUT, "", line);
        }
        int start = pos;
        int startLine = line;
        char c = text.charAt(pos);
        if (c == '"') {
            return quoted(startLine);
        }
        if (c == '\'') {
            return binary(startLine);
        }
        if (isWordStart(c)) {
            pos++;
            while (pos < text.length()) {
                char d = text.charAt(pos);
                // a hyphen belongs to the name unless it starts a comment ("--")
                if (isWordPart(d) || (d == '-' && !(pos + 1 < text.length() && text.charAt(pos + 1) == '-'))) {
                    pos++;
                } else {
                    break;
                }
            }
            // names never end with a hyphen; give a trailing one back
            while (pos > start + 1 && text.charAt(pos - 1) == '-') {
                pos--;
            }
            return new MibToken(MibToken.Kind.WORD, text.substring(start, pos), startLine);
        }
        if (isDigit(c) || (c == '-' && pos + 1 < text.length() && isDigit(text.charAt(pos + 1)))) {
            pos++;
            while (pos < text.length() && isDigit(text.charAt(pos))) {
                pos++;
            }
            return new MibToken(MibToken.Kind.NUMBER, text.substring(start, pos), startLine);
        }
        if (text.startsWith("::=", pos)) {
            pos += 3;
            return new MibToken(MibToken.Kind.SYMBOL, "::=", startLine);
        }
        if (text.startsWith("..", pos)) {
            pos += 2;
            return new MibToken(MibToken.Kind.SYMBOL, "..", startLine);
        }
        pos++;
        return new MibToken(MibToken.Kind.SYMBOL, String.valueOf(c), startLine);
    }

    private MibToken quoted(int startLine) {
        int close = text.indexOf('"', pos + 1);
        if (close < 0) {
            // unterminated: hand the parser a symbol it will reject with this line
            pos = text.length();
            return new MibToken(MibToken.Kind.SYMBOL, "\"", startLine);
        }
        String s = text.substring(pos + 1, close);
        line += count(s, '\n');
        pos = close + 1;
        return new MibToken(MibToken.Kind.STRING, s, startLine);
    }

    private MibToken binary(int startLine) {
        int close = text.indexOf('\'', pos + 1);
        if (close < 0 || close + 1 >= text.length() || "HhBb".indexOf(text.charAt(close + 1)) < 0) {
            pos++;
            return new MibToken(MibToken.Kind.SYMBOL, "'", startLine);
        }
        String s = text.substring(pos, close + 2);
        line += count(s, '\n');
        pos = close + 2;
        return new MibToken(MibToken.Kind.BINARY, s, startLine);
    }

    private void skipBlanksAndComments() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (c == '\n') {
                line++;
                pos++;
            } else if (Character.isWhitespace(c) || c == '\u00a0' || c == '\u001a') {
                pos++;
            } else if (c == '-' && pos + 1 < text.length() && text.charAt(pos + 1) == '-') {
                // X.208: a comment ends at the next "--" or at the end of the line. A run of
                // three or more dashes (a ruler line, "--- note ---") neither opens nor
                // closes an inner comment: MIB authors mean the whole line.
                pos = skipDashes(pos);
                while (pos < text.length()) {
                    char d = text.charAt(pos);
                    if (d == '\n' || d == '\r') {
                        break;
                    }
                    if (d == '-' && pos + 1 < text.length() && text.charAt(pos + 1) == '-') {
                        int end = skipDashes(pos);
                        boolean closes = end - pos == 2;
                        pos = end;
                        if (closes) {
                            break;
                        }
                        continue;
                    }
                    pos++;
                }
            } else {
                return;
            }
        }
    }

    private int skipDashes(int from) {
        int p = from;
        while (p < text.length() && text.charAt(p) == '-') {
            p++;
        }
        return p;
    }

    private static int count(String s, char c) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isWordStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isWordPart(char c) {
        // '_' is not SMI but common in vendor MIBs; tolerated
        return isWordStart(c) || isDigit(c) || c == '_';
    }
}
