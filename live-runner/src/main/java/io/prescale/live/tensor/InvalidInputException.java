package io.prescale.live.tensor;

/** A request's tensors do not fit the model (names, types, shapes, values): the client's mistake, a 400. */
public class InvalidInputException extends RuntimeException {
    public InvalidInputException(String message) {
        super(message);
    }
}
