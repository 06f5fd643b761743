package io.prescale.forecasting.spark;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Artifact versions: UTC creation time (sortable), so a folder can hold successive versions side by side. */
public final class ArtifactVersion {
    private ArtifactVersion() {}

    private static final DateTimeFormatter F = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    public static String of(Instant created) {
        return F.format(created);
    }
}
