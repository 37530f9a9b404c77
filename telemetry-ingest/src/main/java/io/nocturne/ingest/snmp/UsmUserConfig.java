package io.nocturne.ingest.snmp;

import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.snmp4j.security.AuthHMAC128SHA224;
import org.snmp4j.security.AuthHMAC192SHA256;
import org.snmp4j.security.AuthHMAC256SHA384;
import org.snmp4j.security.AuthHMAC384SHA512;
import org.snmp4j.security.AuthMD5;
import org.snmp4j.security.AuthSHA;
import org.snmp4j.security.Priv3DES;
import org.snmp4j.security.PrivAES128;
import org.snmp4j.security.PrivAES192;
import org.snmp4j.security.PrivAES256;
import org.snmp4j.security.PrivDES;
import org.snmp4j.smi.OID;

/**
 * One SNMPv3 USM user (RFC 3414) the receiver accepts: its protocols, passphrases and the
 * engine IDs of the devices that send it traps. The passphrases never leave this object:
 * {@link #toString()} leaves them out and no event carries them.
 *
 * @param securityName    the USM user name (msgUserName)
 * @param auth            authentication protocol, or null for noAuthNoPriv
 * @param authPassphrase  authentication passphrase (RFC 3414 §2.6 password-to-key), or null
 * @param priv            privacy protocol, or null for no privacy
 * @param privPassphrase  privacy passphrase, or null
 * @param senderEngineIds engine IDs of the devices that send traps as this user (each is the
 *                        authoritative engine of its own traps, RFC 3414 §3.1.1); INFORMs
 *                        use the receiver's engine ID and need no entry here
 */
public record UsmUserConfig(String securityName, AuthProtocol auth, String authPassphrase, PrivProtocol priv,
                            String privPassphrase, List<byte[]> senderEngineIds) {

    public UsmUserConfig {
        if (securityName == null || securityName.isEmpty() || securityName.length() > 32) {
            throw new IllegalArgumentException("user name must be 1..32 characters (RFC 3414 usmUserName)");
        }
        if (auth != null && (authPassphrase == null || authPassphrase.length() < 8)) {
            throw new IllegalArgumentException("user " + securityName
                    + ": auth-passphrase must have at least 8 characters (RFC 3414 §11.2)");
        }
        if (priv != null && auth == null) {
            throw new IllegalArgumentException("user " + securityName + ": privacy needs an auth-protocol");
        }
        if (priv != null && (privPassphrase == null || privPassphrase.length() < 8)) {
            throw new IllegalArgumentException("user " + securityName
                    + ": priv-passphrase must have at least 8 characters (RFC 3414 §11.2)");
        }
        for (byte[] id : senderEngineIds) {
            if (id.length < 5 || id.length > 32) {
                throw new IllegalArgumentException("user " + securityName + ": engine ID "
                        + HexFormat.of().formatHex(id) + " must be 5..32 bytes (RFC 3411 SnmpEngineID)");
            }
        }
        senderEngineIds = List.copyOf(senderEngineIds);
    }

    @Override
    public String toString() {
        return "UsmUserConfig[" + securityName + ", auth=" + auth + ", priv=" + priv + ", engines="
                + senderEngineIds.stream().map(HexFormat.of()::formatHex).toList() + "]";
    }

    /** "0x8000…", "80:00:…" or plain hex → bytes. */
    public static byte[] parseEngineId(String text) {
        String hex = text.trim();
        if (hex.startsWith("0x") || hex.startsWith("0X")) {
            hex = hex.substring(2);
        }
        hex = hex.replace(":", "").replace(" ", "");
        try {
            return HexFormat.of().parseHex(hex);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("engine ID '" + text + "' is not hex");
        }
    }

    /** Authentication protocols (RFC 3414 HMAC-MD5-96/HMAC-SHA-96, RFC 7860 HMAC-SHA-2). */
    public enum AuthProtocol {
        MD5(AuthMD5.ID), SHA(AuthSHA.ID), SHA224(AuthHMAC128SHA224.ID), SHA256(AuthHMAC192SHA256.ID),
        SHA384(AuthHMAC256SHA384.ID), SHA512(AuthHMAC384SHA512.ID);

        final OID oid;

        AuthProtocol(OID oid) {
            this.oid = oid;
        }

        /** "SHA-256", "sha256", "SHA1"; null or "none" → null. */
        public static AuthProtocol parse(String text) {
            String t = normalize(text);
            if (t == null) {
                return null;
            }
            return switch (t) {
                case "MD5" -> MD5;
                case "SHA", "SHA1" -> SHA;
                case "SHA224" -> SHA224;
                case "SHA256" -> SHA256;
                case "SHA384" -> SHA384;
                case "SHA512" -> SHA512;
                default -> throw new IllegalArgumentException("auth-protocol '" + text
                        + "' is not one of MD5, SHA, SHA-224, SHA-256, SHA-384, SHA-512");
            };
        }
    }

    /**
     * Privacy protocols: DES (RFC 3414 §8), 3DES-EDE (draft-reeder-snmpv3-usm-3desede),
     * AES-128 (RFC 3826) and AES-192/256 with the key extension of
     * draft-blumenthal-aes-usm-04 (what net-snmp's AES-192/AES-256 use).
     */
    public enum PrivProtocol {
        DES(PrivDES.ID), DES3(Priv3DES.ID), AES128(PrivAES128.ID), AES192(PrivAES192.ID), AES256(PrivAES256.ID);

        final OID oid;

        PrivProtocol(OID oid) {
            this.oid = oid;
        }

        /** "AES", "AES-128", "AES-256", "3DES", "DES"; null or "none" → null. */
        public static PrivProtocol parse(String text) {
            String t = normalize(text);
            if (t == null) {
                return null;
            }
            return switch (t) {
                case "DES" -> DES;
                case "3DES", "3DESEDE", "TRIPLEDES" -> DES3;
                case "AES", "AES128" -> AES128;
                case "AES192" -> AES192;
                case "AES256" -> AES256;
                default -> throw new IllegalArgumentException("priv-protocol '" + text
                        + "' is not one of DES, 3DES, AES (AES-128), AES-192, AES-256");
            };
        }
    }

    private static String normalize(String text) {
        if (text == null || text.isBlank() || "none".equalsIgnoreCase(text.trim())) {
            return null;
        }
        return text.trim().toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
    }
}
