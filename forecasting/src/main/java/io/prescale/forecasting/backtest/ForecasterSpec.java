package io.prescale.forecasting.backtest;

import java.util.Map;

/** A forecaster to backtest: catalog id plus params. */
public record ForecasterSpec(String id, Map<String, Object> params) {
    public ForecasterSpec {
        params = Map.copyOf(params);
    }

    public static ForecasterSpec of(String id) {
        return new ForecasterSpec(id, Map.of());
    }
}
