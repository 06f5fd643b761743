package io.prescale.live.state;

/**
 * The runner stores as many policies as it was started to (429): {@code GET /policies} reads every stored file, so
 * an unbounded count would grow its answer and the heap without limit.
 */
public class PolicyStoreFullException extends RuntimeException {
    public PolicyStoreFullException(int max) {
        super("the runner stores its maximum of " + max + " policies (serve --max-policies): remove one first (DELETE /policies/NAME)");
    }
}
