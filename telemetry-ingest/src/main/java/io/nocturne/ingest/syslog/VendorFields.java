package io.nocturne.ingest.syslog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The two firewall layouts that carry their data as fields rather than prose:
 * <ul>
 *   <li>Fortinet FortiOS: {@code key=value} pairs, values optionally double-quoted
 *       ({@code date=2024-03-01 time=18:46:11 devname="FGT60E" logid="0000000013" ...});</li>
 *   <li>Palo Alto PAN-OS: comma-separated columns ({@code 1,2024/03/01 18:46:11,serial,TRAFFIC,
 *       end,...}), named after PAN-OS's syslog field descriptions per log type
 *       ({@code panos-fields.properties}); a quoted column may contain commas.</li>
 * </ul>
 */
final class VendorFields {

    private static final Map<String, String[]> PANOS_COLUMNS = loadPanosColumns();
    /** The log types whose named columns (future_use aside) are distinct and none "field_N". */
    private static final java.util.Set<String> PANOS_DISTINCT = distinctTypes(PANOS_COLUMNS);
    /** "field_0" ... "field_255", the keys of unnamed columns, built once. */
    private static final String[] FIELD_NAMES = new String[256];

    static {
        for (int i = 0; i < FIELD_NAMES.length; i++) {
            FIELD_NAMES[i] = "field_" + i;
        }
    }
    private static final String FUTURE_USE = "future_use";

    private VendorFields() {
    }

    // ---- FortiOS ---------------------------------------------------------------------

    private static final byte[] DATE_KEY = ascii("date=");
    private static final byte[] LOGVER_KEY = ascii("logver=");
    private static final byte[] LOGDESC_KEY = ascii("logdesc=");
    private static final byte[] LOGID_KEY = ascii("logid=");
    private static final byte[] DEVNAME_KEY = ascii("devname=");
    private static final byte[] DEVID_KEY = ascii("devid=");

    /**
     * FortiOS key=value text: starts with a key=value pair and carries logid= (or date=).
     * {@code t[from, to)} is the MSG one byte per character (see {@link VendorTags#ciscoTag}).
     */
    static boolean isFortios(byte[] t, int from, int to) {
        if (to - from < 12 || !keyValueAt(t, from, to)) {
            return false;
        }
        if (startsWith(t, from, to, DATE_KEY) || startsWith(t, from, to, LOGVER_KEY)
                || startsWith(t, from, to, LOGDESC_KEY)) {
            return contains(t, from, to, LOGID_KEY) || contains(t, from, to, DEVNAME_KEY)
                    || contains(t, from, to, DEVID_KEY);
        }
        int probe = Math.min(to, from + 400);
        return contains(t, from, probe, LOGID_KEY)
                && (contains(t, from, probe, DEVNAME_KEY) || contains(t, from, probe, DEVID_KEY));
    }

    /** A {@code [a-z0-9_]+=} key at {@code t[at]}. */
    private static boolean keyValueAt(byte[] t, int at, int to) {
        int i = at;
        while (i < to && i - at < 40) {
            byte c = t[i];
            if (c == '=') {
                return i > at;
            }
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
                return false;
            }
            i++;
        }
        return false;
    }

    private static boolean startsWith(byte[] t, int from, int to, byte[] prefix) {
        return to - from >= prefix.length && Arrays.equals(t, from, from + prefix.length, prefix, 0, prefix.length);
    }

    /** Whether {@code needle} occurs in {@code t[from, to)}. */
    private static boolean contains(byte[] t, int from, int to, byte[] needle) {
        byte first = needle[0];
        int last = to - needle.length;
        for (int i = from; i <= last; i++) {
            if (t[i] == first && Arrays.equals(t, i + 1, i + needle.length, needle, 1, needle.length)) {
                return true;
            }
        }
        return false;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * Where {@link #fortiosPairs} leaves the values the decoder reads after parsing, so it
     * does not look them up in the map again (a dozen lookups a line).
     */
    static final int TYPE = 0;
    static final int SUBTYPE = 1;
    static final int DEVNAME = 2;
    static final int LOGID = 3;
    static final int SRCINTF = 4;
    static final int DSTINTF = 5;
    static final int INTF = 6;
    static final int INTERFACE = 7;
    static final int EVENTTIME = 8;
    static final int DATE = 9;
    static final int TIME = 10;
    static final int TZ = 11;
    private static final String[] WANTED = {"type", "subtype", "devname", "logid", "srcintf", "dstintf", "intf",
        "interface", "eventtime", "date", "time", "tz"};
    static final int WANTED_COUNT = WANTED.length;

    /**
     * Parses {@code key=value key="quoted value" ...} in {@code m[from, to)}, quotes removed,
     * {@code \"} and {@code \\} resolved, into {@code out} in the text's order; a repeated
     * key (FortiOS sends none) keeps the last value. The {@link #WANTED} keys' values also go
     * to {@code wanted} (by {@link #TYPE} etc.; null when absent).
     *
     * <p>Runs on bytes: the received bytes when the message is ASCII ({@code ascii}), else
     * the text's UTF-8 encoding (every delimiter is ASCII, and UTF-8 never has an ASCII byte
     * inside a multi-byte character, so the pairs split where the characters would).
     * Reading the bytes instead of the String's characters made the loop ~2x faster.
     */
    static void fortiosPairs(byte[] m, int from, int to, boolean ascii, Map<String, String> out, String[] wanted) {
        int n = to;
        int i = from;
        while (i < n) {
            while (i < n && m[i] == ' ') {
                i++;
            }
            int keyStart = i;
            while (i < n && m[i] != '=' && m[i] != ' ') {
                i++;
            }
            if (i >= n || m[i] != '=') {
                // A bare word: not key=value; keep scanning (FortiOS does not produce these).
                continue;
            }
            int slot = KEYS.slot(m, keyStart, i);
            String key = slot >= 0 ? KEYS.name(slot) : text(m, keyStart, i, ascii);
            i++;
            String value;
            if (i < n && m[i] == '"') {
                i++;
                int vs = i;
                boolean escaped = false;
                while (i < n && m[i] != '"') {
                    if (m[i] == '\\' && i + 1 < n) {
                        escaped = true;
                        i++;
                    }
                    i++;
                }
                if (escaped) {
                    byte[] unescaped = new byte[i - vs];
                    int len = 0;
                    for (int k = vs; k < i; k++) {
                        byte c = m[k];
                        if (c == '\\' && k + 1 < i) {
                            c = m[++k];
                        }
                        unescaped[len++] = c;
                    }
                    value = text(unescaped, 0, len, ascii);
                } else {
                    value = text(m, vs, i, ascii);
                }
                if (i < n) {
                    i++; // closing quote
                }
            } else {
                int vs = i;
                while (i < n && m[i] != ' ') {
                    i++;
                }
                value = text(m, vs, i, ascii);
            }
            if (!key.isEmpty()) {
                out.put(key, value);
                if (slot >= 0 && KEY_WANTED[slot] >= 0) {
                    wanted[KEY_WANTED[slot]] = value;
                }
            }
        }
    }

    private static String text(byte[] m, int from, int to, boolean ascii) {
        return new String(m, from, to - from, ascii ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
    }

    /**
     * FortiOS log keys (FortiOS 6.x/7.x log reference, traffic, event and UTM logs), kept as
     * canonical strings: a key found here costs no allocation and its hash is cached.
     */
    private static final String[] FORTIOS_KEYS = {
        "date", "time", "devname", "devid", "eventtime", "tz", "logid", "type", "subtype", "level", "vd",
        "srcip", "srcport", "srcintf", "srcintfrole", "srcname", "srcmac", "srccountry", "srcuuid", "srcserver",
        "dstip", "dstport", "dstintf", "dstintfrole", "dstname", "dstmac", "dstcountry", "dstuuid", "dstserver",
        "sessionid", "proto", "action", "policyid", "policytype", "poluuid", "policyname", "service",
        "trandisp", "transip", "transport", "tranip", "tranport", "duration", "sentbyte", "rcvdbyte", "sentpkt",
        "rcvdpkt", "appcat", "app", "appid", "apprisk", "applist", "appact", "msg", "logdesc", "user", "ui",
        "status", "reason", "crscore", "craction", "crlevel", "mastersrcmac", "mastedstmac", "osname", "devtype",
        "vpntype", "utmaction", "countapp", "countweb", "countips", "countav", "eventtype", "hostname", "url",
        "catdesc", "cat", "direction", "method", "profile", "attack", "attackid", "severity", "ref", "intf",
        "interface", "group", "authproto", "cfgtid", "cfgpath", "cfgobj", "cfgattr", "vip", "unauthuser",
        "unauthusersource", "shapingpolicyid", "lanin", "lanout", "wanin", "wanout", "agent", "threattype",
        "virus", "dtype", "filename", "filetype", "quarskip", "analyticssubmit", "qname", "qtype", "ipaddr",
        "xid", "qclass", "sscname", "srchwvendor", "srcswversion", "srcfamily", "srchwversion",
    };
    private static final AsciiNames KEYS = new AsciiNames(FORTIOS_KEYS);
    /** The {@link #WANTED} index of the key in each {@link #KEYS} slot, or -1. */
    private static final int[] KEY_WANTED = new int[KEYS.slots()];

    static {
        Arrays.fill(KEY_WANTED, -1);
        for (int i = 0; i < WANTED.length; i++) {
            byte[] k = WANTED[i].getBytes(StandardCharsets.ISO_8859_1);
            KEY_WANTED[KEYS.slot(k, 0, k.length)] = i;
        }
    }

    // ---- PAN-OS ----------------------------------------------------------------------

    /**
     * The PAN-OS log type when {@code m} is a PAN-OS CSV log line:
     * {@code <future_use>,YYYY/MM/DD hh:mm:ss,<serial>,<TYPE>,...}; else null.
     */
    static String panosType(String m) {
        int c1 = m.indexOf(',');
        if (c1 < 0 || c1 > 12 || m.length() < c1 + 22) {
            return null;
        }
        int t = c1 + 1;
        // YYYY/MM/DD hh:mm:ss
        if (!(digits(m, t, 4) && m.charAt(t + 4) == '/' && digits(m, t + 5, 2) && m.charAt(t + 7) == '/'
                && digits(m, t + 8, 2) && m.charAt(t + 10) == ' ' && digits(m, t + 11, 2)
                && m.charAt(t + 13) == ':' && digits(m, t + 14, 2) && m.charAt(t + 16) == ':'
                && digits(m, t + 17, 2) && m.charAt(t + 19) == ',')) {
            return null;
        }
        int c3 = m.indexOf(',', t + 20);
        if (c3 < 0) {
            return null;
        }
        int c4 = m.indexOf(',', c3 + 1);
        if (c4 < 0 || c4 == c3 + 1) {
            return null;
        }
        for (int i = c3 + 1; i < c4; i++) {
            char ch = m.charAt(i);
            if (!((ch >= 'A' && ch <= 'Z') || ch == '-' || ch == '_')) {
                return null;
            }
        }
        return m.substring(c3 + 1, c4);
    }

    /**
     * One pass over a PAN-OS CSV line: named, non-empty columns into {@code out} (future_use
     * and empty columns left out, without allocating for them); returns columns 1 (receive
     * time) and 4 (subtype).
     */
    static String[] panos(String type, String m, Map<String, String> out) {
        String[] names = PANOS_COLUMNS.get(type);
        // With distinct column names a plain put does what putIfAbsent does (the map starts
        // empty), and costs one lookup instead of two: the protobuf map's putIfAbsent is
        // Map's default, a get then a put.
        boolean distinct = names == null || PANOS_DISTINCT.contains(type);
        String[] head = new String[2];
        int n = m.length();
        int i = 0;
        int col = 0;
        StringBuilder sb = null;
        while (i <= n) {
            String name = names != null && col < names.length ? names[col] : null;
            boolean wanted = name == null || !name.equals(FUTURE_USE) || col == 1 || col == 4;
            String value;
            if (i < n && m.charAt(i) == '"') {
                if (sb == null) {
                    sb = new StringBuilder();
                }
                sb.setLength(0);
                i++;
                while (i < n) {
                    char c = m.charAt(i);
                    if (c == '"') {
                        if (i + 1 < n && m.charAt(i + 1) == '"') {
                            sb.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    sb.append(c);
                    i++;
                }
                while (i < n && m.charAt(i) != ',') {
                    sb.append(m.charAt(i++));
                }
                value = wanted ? sb.toString() : null;
            } else {
                int from = i;
                while (i < n && m.charAt(i) != ',') {
                    i++;
                }
                value = wanted && i > from ? m.substring(from, i) : null;
            }
            if (value != null && !value.isEmpty()) {
                if (col == 1) {
                    head[0] = value;
                } else if (col == 4) {
                    head[1] = value;
                }
                String key = name == null ? fieldName(col) : name;
                if (!key.equals(FUTURE_USE)) {
                    if (distinct) {
                        out.put(key, value);
                    } else {
                        out.putIfAbsent(key, value);
                    }
                }
            }
            col++;
            i++; // the comma (or past the end)
        }
        return head;
    }

    private static String fieldName(int col) {
        return col < FIELD_NAMES.length ? FIELD_NAMES[col] : "field_" + col;
    }

    private static java.util.Set<String> distinctTypes(Map<String, String[]> columns) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (Map.Entry<String, String[]> e : columns.entrySet()) {
            java.util.Set<String> seen = new java.util.HashSet<>();
            boolean distinct = true;
            for (String name : e.getValue()) {
                if (!name.equals(FUTURE_USE) && (!seen.add(name) || name.startsWith("field_"))) {
                    distinct = false;
                }
            }
            if (distinct) {
                out.add(e.getKey());
            }
        }
        return java.util.Set.copyOf(out);
    }

    private static Map<String, String[]> loadPanosColumns() {
        Properties p = new Properties();
        try (InputStream in = VendorFields.class.getResourceAsStream("panos-fields.properties")) {
            if (in != null) {
                p.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String[]> out = new HashMap<>();
        for (String type : p.stringPropertyNames()) {
            String[] names = p.getProperty(type).split(",");
            for (int i = 0; i < names.length; i++) {
                names[i] = names[i].trim().toLowerCase(Locale.ROOT);
            }
            out.put(type.trim().toUpperCase(Locale.ROOT), names);
        }
        return Map.copyOf(out);
    }

    private static boolean digits(String s, int from, int n) {
        if (from + n > s.length()) {
            return false;
        }
        for (int i = from; i < from + n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
