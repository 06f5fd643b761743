package io.prescale.live.registry;

/** A model of that name is already registered (409). */
public class DuplicateModelException extends RuntimeException {
    public DuplicateModelException(String name) {
        super("model '" + name + "' is already registered (DELETE /models/" + name + " first)");
    }
}
