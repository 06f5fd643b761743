package io.prescale.live.http;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;

/**
 * Request bodies read under a size limit. A declared Content-Length over the limit is refused before a byte
 * is read; a chunked body (no length) is read at most one byte past the limit, so a client that streams
 * without end costs the server {@code limit} bytes, not the whole stream.
 */
final class Bodies {
    private Bodies() {}

    static byte[] read(Context ctx, long limit) {
        long declared = ctx.contentLength();
        if (declared > limit) throw tooLarge(ctx, declared + " bytes", limit);
        try {
            InputStream in = ctx.req().getInputStream();
            if (declared >= 0) {
                // straight into an array of the declared size: no growing copies (inference bodies reach 300 KB)
                // (readNBytes(n) would gather 16 KB chunks and copy them once more)
                byte[] b = new byte[(int) declared];
                int n = in.readNBytes(b, 0, b.length);
                if (n != declared) throw ApiException.badRequest("body ended after " + n + " of its " + declared + " bytes");
                return b;
            }
            byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (b.length > limit) throw tooLarge(ctx, "more than " + limit + " bytes", limit);
            return b;
        } catch (IOException e) {
            throw ApiException.badRequest("cannot read body: " + e.getMessage());
        }
    }

    /** The answer also ends the connection (the rest of the body is never wanted); Jetty drains what the client still sends, unbuffered. */
    private static ApiException tooLarge(Context ctx, String size, long limit) {
        ctx.header("Connection", "close");
        return new ApiException(413, "body of " + size + " is above the limit of " + limit + " (--max-body)");
    }
}
