package io.prescale.forecasting.spark.cli;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * File names of per-series charts. A series is a trace's model name, any text: its characters outside
 * {@code [A-Za-z0-9._-]} become '_', and a name changed that way (or cut to {@value #MAX_NAME} characters) gets a
 * digest of the original, so "a/b" and "a_b" do not write the same file and a long name stays a valid file name.
 */
final class ChartFiles {
    static final int MAX_NAME = 100;

    private ChartFiles() {}

    static String forecast(String series) {
        String safe = series.replaceAll("[^A-Za-z0-9._-]", "_");
        if (safe.length() > MAX_NAME) safe = safe.substring(0, MAX_NAME);
        return "forecast-" + (safe.equals(series) ? safe : safe + "-" + digest(series)) + ".png";
    }

    private static String digest(String s) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
