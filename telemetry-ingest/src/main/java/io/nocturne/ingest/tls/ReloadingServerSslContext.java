package io.nocturne.ingest.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server TLS context of a syslog-over-TLS listener (RFC 5425), built from PEM files and
 * rebuilt when they change on disk (certificate renewal without a restart). New connections
 * get the current context; open ones keep theirs. A change that does not load (a half-copied
 * key, a mismatched pair) is logged and the previous context stays in use.
 */
public final class ReloadingServerSslContext {

    private static final Logger LOG = LoggerFactory.getLogger(ReloadingServerSslContext.class);

    /** How clients authenticate: RFC 5425 §5.1 leaves it to policy. */
    public enum ClientAuthMode { NONE, OPTIONAL, REQUIRE;

        public static ClientAuthMode parse(String value) {
            try {
                return valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + value + "' is not none, optional or require");
            }
        }
    }

    private final Path certFile;
    private final Path keyFile;
    private final Path caFile;
    private final ClientAuthMode clientAuth;
    private volatile SslContext current;
    private volatile List<FileTime> loadedVersions;

    /**
     * @param caFile PEM bundle of CAs that sign client certificates; null when clients are
     *               not authenticated
     * @throws IOException naming the file when the initial files do not load
     */
    public ReloadingServerSslContext(Path certFile, Path keyFile, Path caFile, ClientAuthMode clientAuth)
            throws IOException {
        this.certFile = Objects.requireNonNull(certFile, "certFile");
        this.keyFile = Objects.requireNonNull(keyFile, "keyFile");
        this.caFile = caFile;
        this.clientAuth = clientAuth;
        if (clientAuth != ClientAuthMode.NONE && caFile == null) {
            throw new IOException("client-auth " + clientAuth.name().toLowerCase(Locale.ROOT) + " needs a ca-file");
        }
        this.loadedVersions = versions();
        this.current = build();
    }

    public SslContext current() {
        return current;
    }

    /** Reloads when any file changed since the last load; true when a new context is in use. */
    public boolean reloadIfChanged() {
        List<FileTime> now;
        try {
            now = versions();
        } catch (IOException e) {
            LOG.error("TLS files not readable ({}); keeping the current certificate", e.getMessage());
            return false;
        }
        if (now.equals(loadedVersions)) {
            return false;
        }
        try {
            SslContext fresh = build();
            current = fresh;
            loadedVersions = now;
            LOG.info("TLS certificate reloaded from {}", certFile);
            return true;
        } catch (IOException e) {
            LOG.error("TLS files changed but do not load ({}); keeping the current certificate", e.getMessage());
            loadedVersions = now; // do not retry a broken set every tick; the next change will
            return false;
        }
    }

    private List<FileTime> versions() throws IOException {
        List<FileTime> v = new ArrayList<>(3);
        v.add(Files.getLastModifiedTime(certFile));
        v.add(Files.getLastModifiedTime(keyFile));
        if (caFile != null) {
            v.add(Files.getLastModifiedTime(caFile));
        }
        return v;
    }

    private SslContext build() throws IOException {
        try {
            SslContextBuilder b = SslContextBuilder.forServer(certFile.toFile(), keyFile.toFile())
                    .protocols("TLSv1.3", "TLSv1.2");
            if (caFile != null) {
                b.trustManager(caFile.toFile());
            }
            b.clientAuth(switch (clientAuth) {
                case NONE -> ClientAuth.NONE;
                case OPTIONAL -> ClientAuth.OPTIONAL;
                case REQUIRE -> ClientAuth.REQUIRE;
            });
            return b.build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IOException("cannot load TLS certificate " + certFile + " / key " + keyFile
                    + (caFile == null ? "" : " / CA " + caFile) + ": " + rootMessage(e)
                    + " (the key must be an unencrypted PKCS#8 PEM: openssl pkcs8 -topk8 -nocrypt)", e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** For messages: which files. */
    public String describe() {
        return certFile + (clientAuth == ClientAuthMode.NONE ? "" : ", client certificates " + clientAuth.name()
                .toLowerCase(Locale.ROOT) + " (CA " + caFile + ")");
    }
}
