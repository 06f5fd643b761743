package io.prescale.live.onnx;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.zip.CRC32;

/**
 * Where ONNX Runtime's native libraries are loaded from. Its Java binding (1.29) copies them out of its jar
 * into a new {@code onnxruntime-java*} folder under the temp directory at every start and never removes them:
 * the folder is only marked delete-on-exit, which fails while the 28 MB of libraries are still in it. Every
 * server, profile, bench and test run left one behind. Instead they are copied once per user into a cache
 * folder named by the libraries' checksums, and ONNX Runtime is pointed there ({@value #PROPERTY}); a folder
 * that is not the user's own and private, or any failure, leaves ONNX Runtime to its own way, with a warning.
 */
public final class OrtLibraries {
    private static final Logger LOG = LoggerFactory.getLogger(OrtLibraries.class);
    /** ONNX Runtime reads its libraries from this folder when the property is set before it first loads. */
    static final String PROPERTY = "onnxruntime.native.path";
    private static final String NATIVE = "ai/onnxruntime/native/";
    private static boolean prepared;

    private OrtLibraries() {}

    /** Points ONNX Runtime at the per-user copy of its libraries, copying them there first if needed; once per JVM. */
    static synchronized void prepare() {
        if (prepared) return;
        prepared = true;
        if (System.getProperty(PROPERTY) != null) return; // the user chose a folder
        String platform = platform();
        URL lib = platform == null ? null : OrtLibraries.class.getClassLoader()
                .getResource(NATIVE + platform + "/" + System.mapLibraryName("onnxruntime4j_jni").replace(".jnilib", ".dylib"));
        if (lib == null) return; // not a platform the jar carries: ONNX Runtime says so itself
        try {
            Path dir = extract(lib, cacheRoot());
            if (dir != null) System.setProperty(PROPERTY, dir.toString());
        } catch (IOException | RuntimeException e) {
            LOG.warn("ONNX Runtime's libraries could not be kept in a cache folder ({}); it copies them to the temp folder on each start", e.toString());
        }
    }

    /**
     * Copies the native libraries beside {@code lib} (a file inside a jar) into a folder under {@code root} named
     * by their checksums, unless a checked copy is there already, and returns that folder; null when {@code lib}
     * is not inside a jar.
     */
    static Path extract(URL lib, Path root) throws IOException {
        if (!(lib.openConnection() instanceof JarURLConnection conn)) return null;
        conn.setUseCaches(false);
        String entry = conn.getEntryName();
        String folder = entry.substring(0, entry.lastIndexOf('/') + 1);
        try (JarFile jar = conn.getJarFile()) {
            List<JarEntry> files = new ArrayList<>();
            CRC32 key = new CRC32();
            for (JarEntry e : (Iterable<JarEntry>) jar.stream()::iterator) {
                String name = e.getName();
                if (e.isDirectory() || !name.startsWith(folder) || name.indexOf('/', folder.length()) >= 0) continue;
                files.add(e);
                key.update((name.substring(folder.length()) + ":" + e.getSize() + ":" + e.getCrc() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            Path dir = privateFolder(root.resolve("onnxruntime-" + folder.substring(NATIVE.length(), folder.length() - 1)
                    + "-" + Long.toHexString(key.getValue())));
            for (JarEntry e : files) {
                Path target = dir.resolve(e.getName().substring(folder.length()));
                if (!sameAs(target, e)) copy(jar, e, target);
            }
            return dir;
        }
    }

    /** True when {@code file} is a regular file with the entry's size and checksum (a copy cut short or altered is not). */
    private static boolean sameAs(Path file, JarEntry e) throws IOException {
        if (!Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS) || Files.size(file) != e.getSize()) return false;
        CRC32 crc = new CRC32();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) crc.update(buf, 0, n);
        }
        return crc.getValue() == e.getCrc();
    }

    /** Writes beside the target and renames: another JVM starting at the same time sees the old file or the whole new one. */
    private static void copy(JarFile jar, JarEntry e, Path target) throws IOException {
        Path part = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".part");
        try {
            try (InputStream in = jar.getInputStream(e); OutputStream out = Files.newOutputStream(part)) {
                in.transferTo(out);
            }
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException x) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(part);
        }
    }

    /**
     * Creates {@code dir} (and its parents) readable and writable by this user only, and refuses one that another
     * user owns or others may write: a library there would be loaded into this process.
     */
    static Path privateFolder(Path dir) throws IOException {
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (posix) Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        else Files.createDirectories(dir);
        if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) throw new IOException(dir + " is not a folder");
        if (posix) {
            String me = System.getProperty("user.name");
            String owner = Files.getOwner(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS).getName();
            if (!owner.equals(me)) throw new IOException(dir + " belongs to " + owner + ", not " + me);
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            if (p.contains(PosixFilePermission.GROUP_WRITE) || p.contains(PosixFilePermission.OTHERS_WRITE))
                throw new IOException(dir + " may be written by other users");
        }
        return dir;
    }

    /** {@code -Dprescale.cache=DIR}, else {@code $XDG_CACHE_HOME/prescale}, else {@code ~/.cache/prescale}. */
    static Path cacheRoot() {
        String own = System.getProperty("prescale.cache");
        if (own != null && !own.isBlank()) return Path.of(own).toAbsolutePath();
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() && Path.of(xdg).isAbsolute() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("prescale");
    }

    /** The jar's folder for this machine, named as ONNX Runtime names it (linux-x64, osx-aarch64, win-x64); null if unknown. */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.contains("mac") || os.contains("darwin") ? "osx" : os.contains("win") ? "win" : os.contains("nux") ? "linux" : null;
        String a = arch.startsWith("amd64") || arch.startsWith("x86_64") ? "x64" : arch.startsWith("aarch64") ? "aarch64" : null;
        return o == null || a == null ? null : o + "-" + a;
    }
}
