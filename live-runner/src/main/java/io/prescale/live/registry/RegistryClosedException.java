package io.prescale.live.registry;

/** The runner is shutting down (503): nothing more is registered, and a retry belongs at the next start. */
public class RegistryClosedException extends IllegalStateException {
    public RegistryClosedException(String model) {
        super("the runner is shutting down: '" + model + "' was not registered");
    }
}
