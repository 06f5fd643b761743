package io.prescale.forecasting;

/** Makes a fresh per-series model; one builder serves every series of a forecaster. */
@FunctionalInterface
public interface ModelBuilder {
    SeriesModel newModel(String series);
}
