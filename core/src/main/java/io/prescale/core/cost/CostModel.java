package io.prescale.core.cost;

import java.util.Map;

/**
 * Money: the hourly price of a node in each pool, and a price per request that misses its SLO (so a
 * policy can weigh capacity against violations). Per-model attribution splits a shared node's bill by
 * each replica's share of it and the time it held it.
 */
public record CostModel(Map<String, Double> pricePerNodeHour, double sloViolationUsd) {

    public CostModel {
        pricePerNodeHour = Map.copyOf(pricePerNodeHour);
        if (!(sloViolationUsd >= 0)) throw new IllegalArgumentException("sloViolationUsd must be >= 0");
    }

    public double pricePerHour(String pool) {
        Double p = pricePerNodeHour.get(pool);
        if (p == null) throw new IllegalArgumentException("no price for pool '" + pool + "'");
        return p;
    }

    /** Cost of holding {@code share} of a node of {@code pool} for {@code seconds}. */
    public double cost(String pool, double share, double seconds) {
        return pricePerHour(pool) * share * seconds / 3600.0;
    }
}
