package io.nocturne.ingest.syslog;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Finds interface names in vendor message text, as written: Cisco IOS / NX-OS / Arista
 * names ({@code GigabitEthernet0/1}, {@code Gi1/0/1.100}, {@code Port-channel1},
 * {@code Ethernet1/1}, {@code Serial0/0/0:0}), Junos names ({@code ge-0/0/1.0},
 * {@code ae0}, {@code irb.100}, {@code lo0}) and, for the ASA, interface nameifs written
 * {@code outside:192.0.2.1/53}. A token-by-token scanner over the message, run only for
 * vendor dialects (a free-text Linux line is not scanned).
 */
final class InterfaceNames {

    /** Cisco, NX-OS and Arista prefixes, followed directly by the slot/port digits. */
    private static final AsciiNames CISCO = new AsciiNames(
            "GigabitEthernet", "Gi", "Gig", "TenGigabitEthernet", "TenGigE", "Te", "Ten",
            "TwentyFiveGigE", "TwentyFiveGigabitEthernet", "Twe", "TwoGigabitEthernet", "Tw",
            "FiveGigabitEthernet", "Fi", "FortyGigabitEthernet", "FortyGigE", "Fo",
            "FiftyGigE", "HundredGigE", "HundredGigabitEthernet", "Hu", "FourHundredGigE",
            "AppGigabitEthernet", "FastEthernet", "Fa", "Ethernet", "Eth", "Et",
            "Port-channel", "Port-Channel", "port-channel", "Po", "Vlan", "Vl", "Loopback", "Lo",
            "loopback", "Tunnel", "Tu", "tunnel", "Serial", "Se", "Null", "Nu", "mgmt", "Management",
            "Ma", "Mgmt", "BDI", "Bundle-Ether", "BE", "Dialer", "Di", "Virtual-Access",
            "Virtual-Template", "Cellular", "Multilink", "Async", "nve", "Vxlan", "Vx", "Recirc");

    /** Junos physical interfaces: type-fpc/pic/port[:channel][.unit]. */
    private static final AsciiNames JUNOS_PHYSICAL = new AsciiNames(
            "ge", "xe", "et", "fe", "mge", "xle", "so", "t1", "e1", "at", "gr", "ip", "lt", "vt", "ms",
            "sp", "mt", "ce", "ct1", "ds", "lsq", "pd", "pe", "si", "ps", "ut", "fte", "vcp");

    /** Junos logical and aggregate interfaces: name[number][.unit]. */
    private static final AsciiNames JUNOS_LOGICAL = new AsciiNames(
            "ae", "reth", "lo", "em", "fxp", "me", "vme", "fab", "swfab", "irb", "vlan", "gre", "ipip",
            "lsi", "dsc", "st", "pp", "ppe", "bme", "jsrv", "vtep", "gr");

    private static final byte[] INTERFACE = "interface".getBytes(StandardCharsets.ISO_8859_1);

    private InterfaceNames() {
    }

    // One bit each, so a token's classes are the OR of its bytes' classes.
    private static final byte OTHER = 0;
    private static final byte SEP = 1;
    private static final byte DIGIT = 2;
    private static final byte DOT = 4;
    private static final byte LETTER = 8;
    private static final byte DASH = 16;
    /**
     * Character classes of bytes, one lookup per byte on the hot path; bytes above 0x7F
     * (non-ASCII text) are OTHER.
     */
    private static final byte[] CLASS = new byte[256];

    static {
        for (char c : " ,;()\"'=[]<>{}\t".toCharArray()) {
            CLASS[c] = SEP;
        }
        for (char c = '0'; c <= '9'; c++) {
            CLASS[c] = DIGIT;
        }
        CLASS['.'] = DOT;
        CLASS['-'] = DASH;
        for (char c = 'a'; c <= 'z'; c++) {
            CLASS[c] = LETTER;
            CLASS[c - 'a' + 'A'] = LETTER;
        }
    }

    /**
     * Adds to {@code out} the interface names in {@code buf[from, to)}, ASCII text (or text
     * whose non-ASCII characters are negative bytes, one per character), in order, without repeats. Runs on the
     * received bytes: the String version's copy and its per-character {@code charAt} were
     * ~20 % of a vendor line's parse.
     */
    static void scan(byte[] buf, int from, int to, boolean asaNameifs, List<String> out) {
        if (!asaNameifs) {
            scanJoints(buf, from, to, out);
            return;
        }
        boolean afterInterfaceWord = false;
        int i = from;
        while (i < to) {
            int cls = CLASS[buf[i] & 0xFF];
            if (cls == SEP) {
                i++;
                continue;
            }
            // A token, up to the next separator: a tight loop that only notes which classes
            // it holds (as bits), so most bytes cost one table load and one branch.
            int start = i;
            boolean startsWithLetter = cls == LETTER;
            int seen = 0;
            do {
                seen |= cls;
                i++;
            } while (i < to && (cls = CLASS[buf[i] & 0xFF]) != SEP);
            boolean digitOrDot = (seen & (DIGIT | DOT)) != 0;
            // Every interface name starts with a letter and has a digit or a ".unit"; other
            // words leave here without allocating.
            if (startsWithLetter && (digitOrDot || (asaNameifs && afterInterfaceWord))) {
                String name = match(buf, start, i, asaNameifs);
                if (name == null && asaNameifs && afterInterfaceWord) {
                    name = nameif(buf, start, i); // ASA "... on interface outside"
                }
                if (name != null && !out.contains(name)) {
                    out.add(name);
                }
            }
            afterInterfaceWord = i - start == INTERFACE.length
                    && Arrays.equals(buf, start, i, INTERFACE, 0, INTERFACE.length);
        }
    }

    /**
     * {@link #scan} without ASA nameifs, visiting only the tokens that can hold a name. Every
     * name {@link #match} accepts has a letter directly followed by a digit, '.' or '-' (a
     * Cisco prefix and its slot, a Junos type and its dash, a logical name and its unit),
     * and ordinary words, numbers and addresses have none. So the loop looks for that
     * joint, one table load and a rarely taken branch per byte, and only around a joint
     * finds the token's ends and matches it. Tokens are visited in order, each once, so the
     * names come out as the token-by-token scan gives them (its per-token branch, taken at
     * every separator, was most of the cost).
     */
    private static void scanJoints(byte[] buf, int from, int to, List<String> out) {
        int prev = OTHER;
        for (int i = from; i < to; i++) {
            int cls = CLASS[buf[i] & 0xFF];
            if ((cls & (DIGIT | DOT | DASH)) == 0 || prev != LETTER) {
                prev = cls;
                continue;
            }
            int start = i - 1;
            while (start > from && CLASS[buf[start - 1] & 0xFF] != SEP) {
                start--;
            }
            int end = i + 1;
            while (end < to && CLASS[buf[end] & 0xFF] != SEP) {
                end++;
            }
            if (CLASS[buf[start] & 0xFF] == LETTER) {
                String name = match(buf, start, end, false);
                if (name != null && !out.contains(name)) {
                    out.add(name);
                }
            }
            i = end; // a separator (or the end): the next token starts after it
            prev = SEP;
        }
    }

    /** Whether a single value (a key=value or CSV field) is itself an interface name. */
    static void addValue(String value, List<String> out) {
        if (value != null && !value.isEmpty() && !value.equals("N/A") && !value.equals("unknown-0")
                && !out.contains(value)) {
            out.add(value);
        }
    }

    /** An ASA interface nameif ("outside", "dmz-1", "inside_vlan10"). */
    private static String nameif(byte[] text, int start, int end) {
        while (end > start && (text[end - 1] == '.' || text[end - 1] == ':')) {
            end--;
        }
        return end > start && letter(text[start]) && allOf(text, start, end, null)
                ? ascii(text, start, end) : null;
    }

    private static String match(byte[] text, int start, int end, boolean asaNameifs) {
        // Trailing sentence punctuation is not part of the name: "Gi0/1." "Ethernet1:".
        while (end > start && (text[end - 1] == '.' || text[end - 1] == ':')) {
            end--;
        }
        if (end - start < 2 || !letter(text[start])) {
            return null;
        }
        // Every interface name has a digit (or a ".unit"); plain words are the common case
        // and leave here without allocating.
        int firstDigit = start;
        while (firstDigit < end && !digit(text[firstDigit])) {
            firstDigit++;
        }
        if (firstDigit == end && indexOf(text, '.', start, end) < 0) {
            return null;
        }
        if (firstDigit < end && firstDigit - start <= 26 && CISCO.contains(text, start, firstDigit)
                && allOf(text, firstDigit, end, SLOT_PORT) && slashOrShortNumber(text, firstDigit, end)) {
            return ascii(text, start, end);
        }
        String junos = junos(text, start, end);
        if (junos != null) {
            return junos;
        }
        if (asaNameifs) {
            int colon = indexOf(text, ':', start, end);
            if (colon > start && colon < end - 1 && digit(text[colon + 1])
                    && allOf(text, start, colon, null) && indexOf(text, '.', colon, end) > 0) {
                return ascii(text, start, colon);
            }
        }
        return null;
    }

    private static int indexOf(byte[] text, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** "Gi0/1", "Ethernet1", "Vlan10", "Po1": a slash, or a plain unit number (not "Se2020-..."). */
    private static boolean slashOrShortNumber(byte[] text, int from, int end) {
        return indexOf(text, '/', from, end) >= 0 || end - from <= 5;
    }

    private static String junos(byte[] text, int start, int end) {
        int dash = indexOf(text, '-', start, end);
        if (dash > start) {
            // ge-0/0/1, xe-1/0/0:2.0
            if (dash - start > 4 || !JUNOS_PHYSICAL.contains(text, start, dash)) {
                return null;
            }
            int slashes = 0;
            for (int i = dash + 1; i < end; i++) {
                byte c = text[i];
                if (c == '/') {
                    slashes++;
                } else if (!digit(c) && c != ':' && c != '.') {
                    return null;
                }
            }
            return slashes == 2 && digit(text[dash + 1]) && digit(text[end - 1])
                    ? ascii(text, start, end) : null;
        }
        int p = start;
        while (p < end && letter(text[p])) {
            p++;
        }
        if (p == end || p - start > 5 || !JUNOS_LOGICAL.contains(text, start, p)) {
            return null;
        }
        int digitsStart = p;
        while (p < end && digit(text[p])) {
            p++;
        }
        boolean number = p > digitsStart;
        boolean unit = false;
        if (p < end && text[p] == '.') {
            int u = ++p;
            while (p < end && digit(text[p])) {
                p++;
            }
            unit = p > u;
        }
        return p == end && (number || unit) ? ascii(text, start, end) : null;
    }

    /** "0123456789/.:", the characters after a Cisco prefix. */
    private static final boolean[] SLOT_PORT = new boolean[128];

    static {
        for (char c : "0123456789/.:".toCharArray()) {
            SLOT_PORT[c] = true;
        }
    }

    /** Whether every byte is in {@code allowed}, or, when null, a letter, digit, '_' or '-'. */
    private static boolean allOf(byte[] text, int from, int to, boolean[] allowed) {
        for (int i = from; i < to; i++) {
            byte c = text[i];
            if (allowed == null ? !(letter(c) || digit(c) || c == '_' || c == '-') : c < 0 || !allowed[c]) {
                return false;
            }
        }
        return true;
    }

    private static boolean letter(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean digit(byte c) {
        return c >= '0' && c <= '9';
    }

    /**
     * Only called on ranges checked to be ASCII letters, digits and punctuation. A device
     * names the same few interfaces over and over: one shared String each.
     */
    private static String ascii(byte[] text, int from, int to) {
        return NAMES.get(text, from, to);
    }

    private static final AsciiCache NAMES = new AsciiCache(1024, 48);
}
