package io.prescale.live.registry;

/** The runner holds as many models as it was started to (429): each one holds a session, a worker and its meters. */
public class RegistryFullException extends RuntimeException {
    public RegistryFullException(int max) {
        super("the runner holds its maximum of " + max + " models (serve --max-models): remove one first");
    }
}
