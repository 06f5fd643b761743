package io.prescale.live.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Jetty's own refusals (an ambiguous path such as one with {@code %2F}, a malformed request line or header)
 * answered as every other error of the API is: {@code {"error": reason}} in JSON, not an HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {
    @Override
    protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request, HttpServletResponse response, int code, String message)
            throws IOException {
        baseRequest.setHandled(true);
        response.setContentType("application/json");
        response.getOutputStream().write(body(code, message));
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json");
        return ByteBuffer.wrap(body(status, reason));
    }

    /** What Jetty refuses with a status and no reason of its own (its reason phrase at most, "Bad Request") says what was wrong. */
    private static String defaultReason(int code) {
        return switch (code) {
            case 400 -> "the request line or a header could not be read (a path that climbs above the root with '..' or holds an "
                    + "encoded control character such as %00 or an encoded '/', or a malformed header value)";
            case 414 -> "request line too long (the path and query are above the server's limit)";
            case 417 -> "unsupported Expect header (only 100-continue is taken)";
            case 426 -> "HTTP/2 in clear text is not served: send HTTP/1.1";
            case 431 -> "request headers too large (above the server's limit)";
            case 505 -> "HTTP version not supported: send HTTP/1.1 or HTTP/1.0";
            default -> null;
        };
    }

    private static byte[] body(int code, String message) {
        org.eclipse.jetty.http.HttpStatus.Code known = org.eclipse.jetty.http.HttpStatus.getCode(code);
        if (message == null || message.isBlank() || known != null && message.equals(known.getMessage()) || code == 505)
            message = java.util.Objects.requireNonNullElse(defaultReason(code), message);
        // a version the server does not speak is the client's to change (505 is a 5xx, but no fault of the runner's)
        String reason = (code < 500 || code == 505 ? "bad request" : "server error") + (message == null || message.isBlank() ? "" : ": " + message);
        try {
            return Json.MAPPER.writeValueAsBytes(Map.of("error", reason));
        } catch (JsonProcessingException e) {
            return "{\"error\":\"bad request\"}".getBytes(StandardCharsets.UTF_8);
        }
    }
}
