package io.prescale.live.registry;

import io.prescale.core.config.ConfigException;

/**
 * A registration whose first replicas would fit the pool, but not beside what is placed now (409): removing a model, or
 * a scale-down, makes room.
 */
public class PoolFullException extends ConfigException {
    public PoolFullException(String field, String reason) {
        super(field, reason);
    }
}
