package io.prescale.forecasting;

import io.prescale.core.config.ConfigException;
import io.prescale.core.config.ParamBinder;
import io.prescale.core.forecast.Forecaster;
import io.prescale.forecasting.models.ArimaForecaster;
import io.prescale.forecasting.models.EnsembleForecaster;
import io.prescale.forecasting.models.GbtForecaster;
import io.prescale.forecasting.models.HoltWintersForecaster;
import io.prescale.forecasting.models.LstmForecaster;
import io.prescale.forecasting.models.ProphetStyleForecaster;
import io.prescale.forecasting.models.SeasonalNaiveForecaster;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every runtime forecaster by id. {@link #create} is what the simulator, the policies and the backtest
 * call. Two params are common to all forecasters and are taken out before the rest reach the
 * forecaster: {@code calibrationSteps} (lead steps with their own conformal residuals, default 6; longer leads
 * reuse the last step's residuals) and {@code calibrationWindow} (residuals kept per step, default 288).
 * Both trade per-tick cost for quantile quality; the backtest raises calibrationSteps to its horizon.
 */
public final class ForecasterCatalog {
    private ForecasterCatalog() {}

    /** Registration: one line per forecaster, in display order. */
    private static final List<ForecasterProvider> PROVIDERS = List.of(
            new SeasonalNaiveForecaster(),
            new HoltWintersForecaster(),
            new ArimaForecaster(),
            new ProphetStyleForecaster(),
            new GbtForecaster(),
            new LstmForecaster(),
            new EnsembleForecaster());

    /** Calibration params common to every forecaster. */
    public record CommonParams(int calibrationSteps, int calibrationWindow) {
        public static final CommonParams DEFAULTS = new CommonParams(
                SeriesForecaster.Calibration.DEFAULTS.steps(), SeriesForecaster.Calibration.DEFAULTS.window());
    }

    public static List<String> ids() {
        return PROVIDERS.stream().map(ForecasterProvider::id).toList();
    }

    public static ForecasterProvider provider(String id) {
        for (ForecasterProvider p : PROVIDERS) if (p.id().equals(id)) return p;
        throw new ConfigException("forecaster", "unknown forecaster '" + id + "'" + io.prescale.core.config.DidYouMean.suffix(id, ids())
                + " (known: " + String.join(", ", ids()) + ")");
    }

    /** A forecaster with default params. */
    public static Forecaster create(String id, Duration interval) {
        return create(id, interval, Map.of());
    }

    /**
     * Builds forecaster {@code id} for counts per {@code interval}. Errors (unknown id, unknown or bad
     * param, missing artifact) are {@link ConfigException}s naming {@code forecasters.<id>.<param>}.
     */
    public static SeriesForecaster create(String id, Duration interval, Map<String, ?> params) {
        ForecasterProvider provider = provider(id);
        String path = "forecasters." + id;
        Map<String, Object> own = new LinkedHashMap<>(params == null ? Map.of() : params);
        Map<String, Object> common = new LinkedHashMap<>();
        for (String k : List.of("calibrationSteps", "calibrationWindow")) if (own.containsKey(k)) common.put(k, own.remove(k));
        CommonParams cp = ParamBinder.bind(CommonParams.class, CommonParams.DEFAULTS, common, path);
        SeriesForecaster.Calibration cal;
        try {
            cal = new SeriesForecaster.Calibration(cp.calibrationSteps(), cp.calibrationWindow(),
                    SeriesForecaster.Calibration.DEFAULTS.minResiduals(), SeriesForecaster.Calibration.DEFAULTS.resetAfter());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path, e.getMessage());
        }
        TimeGrid grid;
        try {
            grid = new TimeGrid(interval);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path + ".interval", e.getMessage());
        }
        return new SeriesForecaster(id, interval, provider.builder(grid, own, path), cal);
    }
}
