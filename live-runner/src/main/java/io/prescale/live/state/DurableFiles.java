package io.prescale.live.state;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Crash-safe file writes: a reader (or a restart after {@code kill -9}) sees either the old content or
 * the new, never a torn file. Write a temporary file in the same directory, fsync it, rename it over the
 * target atomically, then fsync the directory so the rename itself survives a power cut.
 */
public final class DurableFiles {
    private DurableFiles() {}

    public static void write(Path target, byte[] content) {
        write(target, new java.io.ByteArrayInputStream(content));
    }

    /** As {@link #write(Path, byte[])}, copying from a stream: a large upload goes to disk without a copy on the heap. */
    public static void write(Path target, InputStream content) {
        Path dir = target.toAbsolutePath().getParent();
        try {
            createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    content.transferTo(Channels.newOutputStream(ch));
                    ch.force(true);
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
            syncDirectory(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Removes the temporary files {@link #write} leaves in {@code dir} when the process dies between creating one and
     * renaming it ({@code .NAME.RANDOM.tmp}); a runner calls this for its own folders before it reads them. Returns
     * how many were removed.
     */
    public static int removeLeftovers(Path dir) {
        return removeLeftovers(dir, java.time.Instant.MAX);
    }

    /**
     * As {@link #removeLeftovers(Path)}, only those last written before {@code writtenBefore}: in a folder another
     * process may be writing (a model store two runners share), a file still growing is someone's upload in flight.
     */
    public static int removeLeftovers(Path dir, java.time.Instant writtenBefore) {
        if (!Files.isDirectory(dir)) return 0;
        int removed = 0;
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String n = f.getFileName().toString();
                if (n.startsWith(".") && n.endsWith(".tmp") && Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        && Files.getLastModifiedTime(f, java.nio.file.LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(writtenBefore)) {
                    Files.deleteIfExists(f);
                    removed++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + dir + ": " + e.getMessage(), e);
        }
        return removed;
    }

    /**
     * Removes every regular file directly in {@code dir}, a folder only this process writes (one in the state folder,
     * which one runner holds at a time); returns how many were removed.
     */
    public static int removeFiles(Path dir) {
        if (!Files.isDirectory(dir)) return 0;
        int removed = 0;
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList())
                if (Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(f)) removed++;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot clean " + dir + ": " + e.getMessage(), e);
        }
        return removed;
    }

    /** Deletes {@code target} durably (the directory entry's removal is synced). */
    public static boolean delete(Path target) {
        try {
            boolean gone = Files.deleteIfExists(target);
            if (gone) syncDirectory(target.toAbsolutePath().getParent());
            return gone;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + target + ": " + e.getMessage(), e);
        }
    }

    /**
     * Renames {@code from} to {@code to} atomically, replacing {@code to} if it exists (as rename(2) does), and syncs the
     * folder (both, if they differ), so the rename itself survives a power cut.
     */
    public static void move(Path from, Path to) throws IOException {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Path dir = to.toAbsolutePath().getParent(), was = from.toAbsolutePath().getParent();
        syncDirectory(dir);
        if (!was.equals(dir)) syncDirectory(was);
    }

    /** Appends {@code content} and forces it to disk. */
    public static void append(Path target, byte[] content) {
        try {
            createDirectories(target.toAbsolutePath().getParent());
            boolean created = !Files.exists(target);
            if (!created) dropTornLine(target);
            try (FileChannel ch = FileChannel.open(target, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                ByteBuffer b = ByteBuffer.wrap(content);
                while (b.hasRemaining()) ch.write(b);
                ch.force(false);
            }
            if (created) syncDirectory(target.toAbsolutePath().getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + target + ": " + e.getMessage(), e);
        }
    }

    /** Whether {@code file}'s first line is complete (it holds a newline in its first 64 KB). */
    public static boolean startsWithLine(Path file) throws UncheckedIOException {
        try (java.io.InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(64 * 1024);
            for (byte c : head) if (c == '\n') return true;
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The files appended to here are lines: a last line without its newline was cut short by a crash, and the next
     * append would run on from it into one garbled line. It is cut off (its content never completed anyway).
     */
    static boolean dropTornLine(Path target) throws IOException {
        try (FileChannel ch = FileChannel.open(target, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            if (size == 0) return false;
            int tail = (int) Math.min(size, 64 * 1024);
            ByteBuffer b = ByteBuffer.allocate(tail);
            while (b.hasRemaining() && ch.read(b, size - tail + b.position()) > 0) { }
            if (b.get(tail - 1) == '\n') return false;
            int last = tail - 1;
            while (last >= 0 && b.get(last) != '\n') last--;
            ch.truncate(size - tail + last + 1); // after the last newline, or to empty if there is none
            ch.force(false);
            return true;
        }
    }

    /**
     * Creates {@code dir} and the folders above it that are missing, each one's entry synced in its parent: a file synced in a
     * folder whose own entry was not could vanish with it at a power cut (the first model's {@code models/}, each day's
     * {@code date=...} of the history).
     */
    private static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) return;
        java.util.ArrayDeque<Path> missing = new java.util.ArrayDeque<>();
        for (Path d = dir; d != null && !Files.isDirectory(d); d = d.getParent()) missing.push(d);
        Files.createDirectories(dir);
        for (Path d : missing) if (d.getParent() != null) syncDirectory(d.getParent());
    }

    /** Told of each directory synced (tests). */
    static volatile java.util.function.Consumer<Path> onDirectorySynced = d -> {};

    static void syncDirectory(Path dir) throws IOException {
        onDirectorySynced.accept(dir);
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems refuse to open a directory for sync; the rename is still atomic there
            if (!(e instanceof java.nio.file.AccessDeniedException) && !String.valueOf(e.getMessage()).contains("Is a directory")) throw e;
        }
    }
}
