package io.nocturne.ingest.syslog;

import java.util.List;
import java.util.Set;

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
    private static final Set<String> CISCO = Set.of(
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
    private static final Set<String> JUNOS_PHYSICAL = Set.of(
            "ge", "xe", "et", "fe", "mge", "xle", "so", "t1", "e1", "at", "gr", "ip", "lt", "vt", "ms",
            "sp", "mt", "ce", "ct1", "ds", "lsq", "pd", "pe", "si", "ps", "ut", "fte", "vcp");

    /** Junos logical and aggregate interfaces: name[number][.unit]. */
    private static final Set<String> JUNOS_LOGICAL = Set.of(
            "ae", "reth", "lo", "em", "fxp", "me", "vme", "fab", "swfab", "irb", "vlan", "gre", "ipip",
            "lsi", "dsc", "st", "pp", "ppe", "bme", "jsrv", "vtep", "gr");

    private InterfaceNames() {
    }

    private static final byte OTHER = 0;
    private static final byte SEP = 1;
    private static final byte DIGIT = 2;
    private static final byte DOT = 3;
    private static final byte LETTER = 4;
    /** Character classes of ASCII, one lookup per character on the hot path. */
    private static final byte[] CLASS = new byte[128];

    static {
        for (char c : " ,;()\"'=[]<>{}\t".toCharArray()) {
            CLASS[c] = SEP;
        }
        for (char c = '0'; c <= '9'; c++) {
            CLASS[c] = DIGIT;
        }
        CLASS['.'] = DOT;
        for (char c = 'a'; c <= 'z'; c++) {
            CLASS[c] = LETTER;
            CLASS[c - 'a' + 'A'] = LETTER;
        }
    }

    /** Adds to {@code out} the interface names in {@code text}, in order, without repeats. */
    static void scan(String text, boolean asaNameifs, List<String> out) {
        // Classified from a byte copy: one array load per character instead of String.charAt's
        // bounds and coder checks (the loop was ~10 % of a vendor line's parse). Characters
        // above U+00FF become '?', above U+007F are OTHER either way, so the classes agree.
        byte[] chars = text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        int n = chars.length;
        int start = -1;
        boolean startsWithLetter = false;
        boolean digitOrDot = false;
        boolean afterInterfaceWord = false;
        for (int i = 0; i <= n; i++) {
            int cls;
            if (i == n) {
                cls = SEP;
            } else {
                byte ch = chars[i];
                cls = ch >= 0 ? CLASS[ch] : OTHER;
            }
            if (cls != SEP) {
                if (start < 0) {
                    start = i;
                    startsWithLetter = cls == LETTER;
                    digitOrDot = false;
                }
                digitOrDot |= cls == DIGIT || cls == DOT;
                continue;
            }
            if (start < 0) {
                continue;
            }
            // Every interface name starts with a letter and has a digit or a ".unit"; other
            // words leave here without allocating.
            if (startsWithLetter && (digitOrDot || (asaNameifs && afterInterfaceWord))) {
                String name = match(text, start, i, asaNameifs);
                if (name == null && asaNameifs && afterInterfaceWord) {
                    name = nameif(text, start, i); // ASA "... on interface outside"
                }
                if (name != null && !out.contains(name)) {
                    out.add(name);
                }
            }
            afterInterfaceWord = i - start == 9 && text.regionMatches(start, "interface", 0, 9);
            start = -1;
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
    private static String nameif(String text, int start, int end) {
        while (end > start && (text.charAt(end - 1) == '.' || text.charAt(end - 1) == ':')) {
            end--;
        }
        return end > start && letter(text.charAt(start)) && allOf(text, start, end, null)
                ? text.substring(start, end) : null;
    }

    private static String match(String text, int start, int end, boolean asaNameifs) {
        // Trailing sentence punctuation is not part of the name: "Gi0/1." "Ethernet1:".
        while (end > start && (text.charAt(end - 1) == '.' || text.charAt(end - 1) == ':')) {
            end--;
        }
        if (end - start < 2 || !letter(text.charAt(start))) {
            return null;
        }
        // Every interface name has a digit (or a ".unit"); plain words are the common case
        // and leave here without allocating.
        int firstDigit = start;
        while (firstDigit < end && !digit(text.charAt(firstDigit))) {
            firstDigit++;
        }
        if (firstDigit == end && indexOf(text, '.', start, end) < 0) {
            return null;
        }
        if (firstDigit < end && firstDigit - start <= 26 && CISCO.contains(text.substring(start, firstDigit))
                && allOf(text, firstDigit, end, "0123456789/.:") && slashOrShortNumber(text, firstDigit, end)) {
            return text.substring(start, end);
        }
        String junos = junos(text, start, end);
        if (junos != null) {
            return junos;
        }
        if (asaNameifs) {
            int colon = indexOf(text, ':', start, end);
            if (colon > start && colon < end - 1 && digit(text.charAt(colon + 1))
                    && allOf(text, start, colon, null) && indexOf(text, '.', colon, end) > 0) {
                return text.substring(start, colon);
            }
        }
        return null;
    }

    private static int indexOf(String text, char c, int from, int to) {
        for (int i = from; i < to; i++) {
            if (text.charAt(i) == c) {
                return i;
            }
        }
        return -1;
    }

    /** "Gi0/1", "Ethernet1", "Vlan10", "Po1": a slash, or a plain unit number (not "Se2020-..."). */
    private static boolean slashOrShortNumber(String text, int from, int end) {
        return indexOf(text, '/', from, end) >= 0 || end - from <= 5;
    }

    private static String junos(String text, int start, int end) {
        int dash = indexOf(text, '-', start, end);
        if (dash > start) {
            // ge-0/0/1, xe-1/0/0:2.0
            if (dash - start > 4 || !JUNOS_PHYSICAL.contains(text.substring(start, dash))) {
                return null;
            }
            int slashes = 0;
            for (int i = dash + 1; i < end; i++) {
                char c = text.charAt(i);
                if (c == '/') {
                    slashes++;
                } else if (!digit(c) && c != ':' && c != '.') {
                    return null;
                }
            }
            return slashes == 2 && digit(text.charAt(dash + 1)) && digit(text.charAt(end - 1))
                    ? text.substring(start, end) : null;
        }
        int p = start;
        while (p < end && letter(text.charAt(p))) {
            p++;
        }
        if (p == end || p - start > 5 || !JUNOS_LOGICAL.contains(text.substring(start, p))) {
            return null;
        }
        int digitsStart = p;
        while (p < end && digit(text.charAt(p))) {
            p++;
        }
        boolean number = p > digitsStart;
        boolean unit = false;
        if (p < end && text.charAt(p) == '.') {
            int u = ++p;
            while (p < end && digit(text.charAt(p))) {
                p++;
            }
            unit = p > u;
        }
        return p == end && (number || unit) ? text.substring(start, end) : null;
    }

    private static boolean allOf(String text, int from, int to, String allowed) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (allowed == null ? !(letter(c) || digit(c) || c == '_' || c == '-') : allowed.indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean letter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }
}
