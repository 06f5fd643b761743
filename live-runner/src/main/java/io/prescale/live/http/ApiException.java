package io.prescale.live.http;

/** A client-visible failure with its HTTP status and a reason (sent as {"error": reason}). */
public class ApiException extends RuntimeException {
    private final int status;

    public ApiException(int status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    public static ApiException badRequest(String reason) {
        return new ApiException(400, reason);
    }

    public static ApiException notFound(String reason) {
        return new ApiException(404, reason);
    }
}
