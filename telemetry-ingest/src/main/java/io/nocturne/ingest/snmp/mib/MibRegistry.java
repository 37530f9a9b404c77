package io.nocturne.ingest.snmp.mib;

import io.nocturne.ingest.snmp.OidNames;
import io.nocturne.ingest.snmp.mib.MibModule.Kind;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Names for numeric OIDs from the MIB modules shipped with Nocturne plus those an operator
 * loads from directories ({@code nocturne.ingest.snmp.mib-dirs}). Built once, then
 * immutable and safe to share between threads; lookups walk a prefix tree over the OID
 * text and allocate only the returned string.
 *
 * <p>When several modules define the same OID (RFC1213-MIB and IF-MIB both define
 * {@code ifOperStatus}), the name shown is chosen deterministically: a macro definition
 * (OBJECT-TYPE, NOTIFICATION-TYPE, …) over a bare OBJECT IDENTIFIER assignment, then
 * SMIv2 over SMIv1, then an operator's module over a shipped one, then the module name.
 */
public final class MibRegistry implements OidNames {

    private static final Logger LOG = LoggerFactory.getLogger(MibRegistry.class);

    /** Folder of the shipped MIB files on the classpath; {@code index.txt} lists them. */
    static final String SHIPPED_FOLDER = "mibs/";

    private final OidTrie trie;
    private final Map<String, String> oidsByName;
    private final Set<String> modules;
    private final List<MibProblem> problems;

    private MibRegistry(OidTrie trie, Map<String, String> oidsByName, Set<String> modules, List<MibProblem> problems) {
        this.trie = trie;
        this.oidsByName = oidsByName;
        this.modules = modules;
        this.problems = problems;
    }

    /**
     * The shipped MIBs plus every regular, non-hidden file in {@code directories} (not
     * recursive). Unreadable directories and files are reported as problems, never thrown;
     * every problem is also logged at WARN.
     */
    public static MibRegistry load(List<Path> directories) {
        List<MibSource> sources = new ArrayList<>(shippedSources());
        List<MibProblem> ioProblems = new ArrayList<>();
        for (Path dir : directories) {
            List<Path> files = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                for (Path file : stream) {
                    if (Files.isRegularFile(file) && !file.getFileName().toString().startsWith(".")) {
                        files.add(file);
                    }
                }
            } catch (IOException | RuntimeException e) {
                ioProblems.add(new MibProblem(dir.toString(), 0, "cannot list the MIB directory: " + e.getMessage()));
                continue;
            }
            files.sort(Comparator.naturalOrder());
            for (Path file : files) {
                try {
                    // ISO-8859-1 maps every byte: vendor MIBs are not always valid UTF-8,
                    // and the names we need are ASCII
                    sources.add(new MibSource(file.toString(),
                            new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1), false));
                } catch (IOException | RuntimeException e) {
                    ioProblems.add(new MibProblem(file.toString(), 0, "cannot read: " + e.getMessage()));
                }
            }
        }
        MibRegistry registry = of(sources, ioProblems);
        for (MibProblem problem : registry.problems()) {
            LOG.warn("MIB problem: {}", problem);
        }
        LOG.info("Loaded {}", registry);
        return registry;
    }

    /** A registry of exactly {@code sources} (no shipped MIBs unless they are among them). */
    public static MibRegistry of(List<MibSource> sources) {
        return of(sources, List.of());
    }

    private static MibRegistry of(List<MibSource> sources, List<MibProblem> earlier) {
        List<MibProblem> problems = new ArrayList<>(earlier);
        Map<String, MibModule> modules = new LinkedHashMap<>();
        Map<String, Boolean> shipped = new HashMap<>();
        for (MibSource source : sources) {
            MibParser.ParsedFile parsed = MibParser.parse(source.name(), source.text());
            problems.addAll(parsed.problems());
            for (MibModule module : parsed.modules()) {
                MibModule previous = modules.get(module.name());
                if (previous != null && !(shipped.get(module.name()) && !source.shipped())) {
                    problems.add(new MibProblem(source.name(), module.line(), "module " + module.name()
                            + " is also defined in " + previous.source() + "; this one is used"));
                }
                modules.put(module.name(), module);
                shipped.put(module.name(), source.shipped());
            }
        }
        List<MibLinker.Entry> entries = MibLinker.link(modules, shipped, problems);
        entries.sort(MibRegistry::preferred);
        OidTrie.Builder trie = new OidTrie.Builder();
        Map<String, String> oidsByName = new HashMap<>();
        // most preferred last, so it overwrites the others at the same OID
        for (int i = entries.size() - 1; i >= 0; i--) {
            MibLinker.Entry e = entries.get(i);
            String name = e.module() + "::" + e.name();
            trie.put(e.oid(), new OidTrie.Value(name, labels(e.enumeration())));
            oidsByName.put(name, dotted(e.oid()));
        }
        return new MibRegistry(trie.build(), Map.copyOf(oidsByName), Set.copyOf(new TreeSet<>(modules.keySet())),
                List.copyOf(problems));
    }

    /** Orders the definitions of one OID from most to least preferred (see class doc). */
    private static int preferred(MibLinker.Entry a, MibLinker.Entry b) {
        int c = Boolean.compare(b.kind() != Kind.OBJECT_IDENTIFIER && b.kind() != Kind.OTHER_VALUE,
                a.kind() != Kind.OBJECT_IDENTIFIER && a.kind() != Kind.OTHER_VALUE);
        if (c == 0) {
            c = Boolean.compare(b.smiV2(), a.smiV2());
        }
        if (c == 0) {
            c = Boolean.compare(a.shipped(), b.shipped());
        }
        if (c == 0) {
            c = a.module().compareTo(b.module());
        }
        return c;
    }

    private static Map<Long, String> labels(Map<Long, String> enumeration) {
        if (enumeration.isEmpty()) {
            return Map.of();
        }
        Map<Long, String> labels = new HashMap<>();
        enumeration.forEach((n, label) -> labels.put(n, label + "(" + n + ")"));
        return Map.copyOf(labels);
    }

    private static String dotted(long[] oid) {
        StringBuilder sb = new StringBuilder(oid.length * 3);
        for (int i = 0; i < oid.length; i++) {
            if (i > 0) {
                sb.append('.');
            }
            sb.append(oid[i]);
        }
        return sb.toString();
    }

    /** The shipped MIB files, listed by {@code mibs/index.txt} on the classpath. */
    public static List<MibSource> shippedSources() {
        ClassLoader loader = MibRegistry.class.getClassLoader();
        List<MibSource> sources = new ArrayList<>();
        for (String file : read(loader, SHIPPED_FOLDER + "index.txt").split("\n")) {
            String name = file.strip();
            if (!name.isEmpty() && !name.startsWith("#")) {
                sources.add(new MibSource(SHIPPED_FOLDER + name, read(loader, SHIPPED_FOLDER + name), true));
            }
        }
        return sources;
    }

    private static String read(ClassLoader loader, String resource) {
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("shipped MIB resource missing: " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name(String numericOid) {
        return trie.name(numericOid);
    }

    @Override
    public String enumLabel(String numericOid, long value) {
        OidTrie.Value v = trie.longestPrefix(numericOid);
        return v == null || v.labels().isEmpty() ? null : v.labels().get(value);
    }

    /** The numeric OID of {@code MODULE::name} (no instance suffix), or null. */
    public String numericOid(String qualifiedName) {
        return oidsByName.get(qualifiedName);
    }

    /** Names of the loaded modules, sorted. */
    public Set<String> modules() {
        return modules;
    }

    /** Everything that did not load, in load order (file:line: reason). */
    public List<MibProblem> problems() {
        return problems;
    }

    /** How many OIDs have a name. */
    public int size() {
        return trie.size();
    }

    @Override
    public String toString() {
        return "MibRegistry[" + modules.size() + " modules, " + trie.size() + " OIDs, " + problems.size()
                + " problems]";
    }
}
