package io.nocturne.ingest.snmp.mib;

import java.util.Arrays;
import java.util.Map;

/**
 * Immutable OID prefix tree for longest-prefix lookups straight from the dotted text of an
 * OID: no split, no boxing; a hit allocates only the returned string (the stored name, or
 * the name plus the instance suffix cut from the input).
 */
final class OidTrie {

    /** What is stored at a node. {@code labels} maps an enumeration value to {@code "down(2)"}. */
    record Value(String name, Map<Long, String> labels) {
    }

    private static final class Node {
        long[] arcs = new long[0];
        Node[] children = new Node[0];
        Value value;

        Node child(long arc) {
            int i = Arrays.binarySearch(arcs, arc);
            return i >= 0 ? children[i] : null;
        }

        Node childOrAdd(long arc) {
            int i = Arrays.binarySearch(arcs, arc);
            if (i >= 0) {
                return children[i];
            }
            int at = -i - 1;
            long[] a = new long[arcs.length + 1];
            Node[] c = new Node[children.length + 1];
            System.arraycopy(arcs, 0, a, 0, at);
            System.arraycopy(children, 0, c, 0, at);
            System.arraycopy(arcs, at, a, at + 1, arcs.length - at);
            System.arraycopy(children, at, c, at + 1, children.length - at);
            Node n = new Node();
            a[at] = arc;
            c[at] = n;
            arcs = a;
            children = c;
            return n;
        }
    }

    /** Collects values before the trie is published. Not thread-safe; the trie it builds is. */
    static final class Builder {
        private final Node root = new Node();
        private int size;

        /** Stores {@code value} at {@code oid}, replacing what was there. */
        Builder put(long[] oid, Value value) {
            Node n = root;
            for (long arc : oid) {
                n = n.childOrAdd(arc);
            }
            if (n.value == null) {
                size++;
            }
            n.value = value;
            return this;
        }

        OidTrie build() {
            return new OidTrie(root, size);
        }
    }

    private final Node root;
    private final int size;

    private OidTrie(Node root, int size) {
        this.root = root;
        this.size = size;
    }

    int size() {
        return size;
    }

    /** The name at the longest stored prefix plus the rest of the OID, or null. */
    String name(String oid) {
        Node best = null;
        int bestEnd = 0;
        int len = oid == null ? 0 : oid.length();
        int i = len > 0 && oid.charAt(0) == '.' ? 1 : 0;
        if (i >= len) {
            return null;
        }
        Node node = root;
        boolean walking = true;
        while (i < len) {
            long v = 0;
            int j = i;
            while (j < len) {
                char c = oid.charAt(j);
                if (c < '0' || c > '9') {
                    break;
                }
                v = v * 10 + (c - '0');
                if (v > 0xFFFF_FFFFL) {
                    return null;
                }
                j++;
            }
            if (j == i || (j < len && (oid.charAt(j) != '.' || j == len - 1))) {
                return null; // not a dotted decimal OID
            }
            if (walking) {
                Node child = node.child(v);
                if (child == null) {
                    walking = false;
                } else {
                    node = child;
                    if (node.value != null) {
                        best = node;
                        bestEnd = j;
                    }
                }
            }
            i = j + 1;
        }
        if (best == null) {
            return null;
        }
        return bestEnd >= len ? best.value.name() : best.value.name().concat(oid.substring(bestEnd));
    }

    /** The value at the longest stored prefix of a dotted OID, or null. */
    Value longestPrefix(String oid) {
        int len = oid == null ? 0 : oid.length();
        int i = len > 0 && oid.charAt(0) == '.' ? 1 : 0;
        Node node = root;
        Value best = null;
        while (i < len) {
            long v = 0;
            int j = i;
            while (j < len) {
                char c = oid.charAt(j);
                if (c < '0' || c > '9') {
                    break;
                }
                v = v * 10 + (c - '0');
                if (v > 0xFFFF_FFFFL) {
                    return null;
                }
                j++;
            }
            if (j == i || (j < len && oid.charAt(j) != '.')) {
                return null;
            }
            Node child = node.child(v);
            if (child == null) {
                return best;
            }
            node = child;
            if (node.value != null) {
                best = node.value;
            }
            i = j + 1;
        }
        return best;
    }
}
