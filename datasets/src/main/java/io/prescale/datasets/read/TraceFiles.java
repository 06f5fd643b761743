package io.prescale.datasets.read;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

/** File access shared by the readers: existence checks with clear messages, gzip, sha256. */
public final class TraceFiles {
    private TraceFiles() {}

    /** Fails with a one-line message naming the path when the file is missing, a folder or empty. */
    public static void requireReadableFile(Path file) {
        if (!Files.exists(file)) throw new IllegalArgumentException(file + ": trace file not found");
        if (Files.isDirectory(file)) throw new IllegalArgumentException(file + ": is a folder, not a trace file");
        if (!Files.isReadable(file)) throw new IllegalArgumentException(file + ": trace file is not readable");
        if (size(file) == 0) throw new IllegalArgumentException(file + ": empty trace file (no header, no data)");
    }

    /** UTF-8 text, transparently gunzipped when the name ends with {@code .gz}. */
    public static BufferedReader openText(Path file) {
        try {
            InputStream in = Files.newInputStream(file);
            if (file.getFileName().toString().endsWith(".gz")) in = new GZIPInputStream(in, 1 << 16);
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot open: " + e.getMessage(), e);
        }
    }

    public static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": cannot read size: " + e.getMessage(), e);
        }
    }

    /**
     * SHA-256 (lower-case hex) over the bytes of the files in order. For a single file this is the
     * file's own sha256, the figure PROVENANCE.md and the manifests give.
     */
    public static String sha256(List<Path> files) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
        byte[] buffer = new byte[1 << 16];
        for (Path file : files) {
            try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
                while (in.read(buffer) >= 0) {
                    // DigestInputStream updates the digest as it reads
                }
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": cannot read for sha256: " + e.getMessage(), e);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The file name without its extension(s) {@code .csv}, {@code .jsonl}, {@code .gz}. */
    public static String baseName(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(".gz")) name = name.substring(0, name.length() - 3);
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
