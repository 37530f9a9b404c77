package io.nocturne.ingest.listener;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * Which source addresses a listener accepts: a list of CIDR blocks (IPv4 and IPv6); empty
 * accepts everyone. An IPv4 sender seen on a dual-stack socket as {@code ::ffff:a.b.c.d}
 * matches its IPv4 block.
 */
public final class SourceAllowList {

    private record Block(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    private final List<Block> blocks;
    private final List<String> text;

    private SourceAllowList(List<Block> blocks, List<String> text) {
        this.blocks = blocks;
        this.text = text;
    }

    public static final SourceAllowList ANY = new SourceAllowList(List.of(), List.of());

    /**
     * @param cidrs e.g. "10.0.0.0/8", "192.0.2.7" (a single host), "2001:db8::/32"
     * @throws IllegalArgumentException naming the entry that is not an address or CIDR block
     */
    public static SourceAllowList parse(List<String> cidrs) {
        if (cidrs == null || cidrs.isEmpty()) {
            return ANY;
        }
        List<Block> blocks = new ArrayList<>();
        for (String c : cidrs) {
            String s = c.trim();
            int slash = s.indexOf('/');
            String addr = slash < 0 ? s : s.substring(0, slash);
            if (addr.isEmpty() || !addr.matches("[0-9a-fA-F:.]+")) {
                throw new IllegalArgumentException("'" + c + "' is not an IP address or CIDR block");
            }
            byte[] network;
            try {
                network = InetAddress.getByName(addr).getAddress(); // literal only: checked above, no DNS
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("'" + c + "' is not an IP address or CIDR block");
            }
            int max = network.length * 8;
            int prefix;
            try {
                prefix = slash < 0 ? max : Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + c + "': prefix length is not a number");
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("'" + c + "': prefix length must be 0.." + max);
            }
            blocks.add(new Block(network, prefix));
        }
        return new SourceAllowList(List.copyOf(blocks), List.copyOf(cidrs));
    }

    public boolean allowsAll() {
        return blocks.isEmpty();
    }

    public boolean allows(InetAddress source) {
        if (blocks.isEmpty()) {
            return true;
        }
        if (source == null) {
            return false;
        }
        byte[] a = source.getAddress();
        if (source instanceof Inet6Address && isIpv4Mapped(a)) {
            byte[] v4 = new byte[4];
            System.arraycopy(a, 12, v4, 0, 4);
            a = v4;
        }
        for (Block b : blocks) {
            if (b.contains(a)) {
                return true;
            }
        }
        return false;
    }

    private static boolean isIpv4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return (a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff;
    }

    @Override
    public String toString() {
        return blocks.isEmpty() ? "any" : String.join(", ", text);
    }
}
