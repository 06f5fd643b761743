package io.prescale.forecasting;

import java.util.Map;

/**
 * One entry of the {@link ForecasterCatalog}: an id, a one-line description, and a way to build the
 * per-series model from validated params. Adding a forecaster is one class implementing this plus one
 * line in the catalog.
 */
public interface ForecasterProvider {

    String id();

    String description();

    /**
     * Builds the per-series model factory. {@code params} are the forecaster's own keys (unknown keys
     * are errors naming {@code path}); {@code grid} is the forecasting interval.
     */
    ModelBuilder builder(TimeGrid grid, Map<String, ?> params, String path);
}
