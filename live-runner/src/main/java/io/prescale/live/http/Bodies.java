package io.prescale.live.http;

import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Request bodies read under a size limit and the server-wide {@link BodyBudget}. A declared Content-Length over
 * the limit is refused before a byte is read. A body up to 1 MB is counted whole and read into one array; a
 * larger or chunked one (no length) is read in pieces, each counted before it is allocated, and a chunked one at
 * most one byte past the limit, so a client that streams without end costs the server {@code limit} bytes.
 */
final class Bodies {
    /** A chunked body's first piece; each next one doubles, up to {@link #MAX_PIECE}. */
    static final int FIRST_PIECE = 16 << 10;
    static final int MAX_PIECE = 1 << 20;

    private Bodies() {}

    static byte[] read(Context ctx, long limit) {
        return read(ctx, limit, "--max-body");
    }

    /** {@code limitName}: what the 413 names as the limit's source. */
    static byte[] read(Context ctx, long limit, String limitName) {
        long declared = ctx.req().getContentLengthLong(); // a long: Content-Length past 2 GB must be refused, not read as -1
        if (declared > limit) throw tooLarge(ctx, declared + " bytes", limit, limitName);
        BodyBudget budget = ctx.appData(BodyBudget.KEY);
        try {
            InputStream in = guarded(ctx);
            if (declared >= 0 && declared <= MAX_PIECE) {
                // straight into one array of the declared size, no copies (inference bodies reach 300 KB)
                byte[] b = new byte[(int) take(ctx, budget, declared)];
                int n = in.readNBytes(b, 0, b.length);
                if (n != declared) throw ApiException.badRequest("body ended after " + n + " of its " + declared + " bytes");
                return b;
            }
            // larger or chunked: in pieces, each counted before it is allocated, so a client that declares 16 MB and
            // stalls holds what it sent, not what it declared
            List<byte[]> pieces = new ArrayList<>();
            long max = declared >= 0 ? declared : limit + 1, total = 0, held = 0;
            int size = declared >= 0 ? MAX_PIECE : FIRST_PIECE;
            while (total < max) {
                byte[] piece = new byte[(int) take(ctx, budget, Math.min(size, max - total))];
                held += piece.length;
                int n = in.readNBytes(piece, 0, piece.length);
                pieces.add(piece);
                total += n;
                if (n < piece.length) break;
                size = Math.min(MAX_PIECE, size * 2);
            }
            if (declared >= 0 && total != declared) throw ApiException.badRequest("body ended after " + total + " of its " + declared + " bytes");
            if (total > limit) throw tooLarge(ctx, "more than " + limit + " bytes", limit, limitName);
            // the body keeps the pieces' count (less their unused tail): while it is copied the heap briefly holds
            // both, which the budget does not count, and it is never refused once it has been read
            byte[] b = new byte[(int) total];
            int at = 0;
            for (byte[] p : pieces) {
                int n = (int) Math.min(p.length, total - at);
                System.arraycopy(p, 0, b, at, n);
                at += n;
            }
            give(ctx, budget, held - total);
            return b;
        } catch (IOException e) {
            ApiException late = late(ctx, e);
            if (late != null) throw late;
            // Jetty's "Early EOF" alone did not say what a client did wrong
            if (e instanceof org.eclipse.jetty.io.EofException)
                throw ApiException.badRequest("cannot read body: it ended early (" + e.getMessage() + "): the connection closed, or a chunk of a "
                        + "chunked body was malformed, before its end");
            throw ApiException.badRequest("cannot read body: " + e.getMessage());
        }
    }

    /** The request's body, read under the server's {@link BodyRateFloor} (as it is when the server has none). */
    static InputStream guarded(Context ctx) throws IOException {
        requireIdentityEncoding(ctx);
        InputStream in = ctx.req().getInputStream();
        BodyRateFloor floor = ctx.appData(BodyRateFloor.KEY);
        return floor == null ? in : floor.guard(in);
    }

    /**
     * Refuses a body sent with a Content-Encoding other than identity, 415 (RFC 7694): the runner decodes none (gzip is
     * off both ways, see the README), and read as it came a gzip body was "malformed JSON" at a control character while
     * one marked "br" but sent plain was served as if the header were not there.
     */
    static void requireIdentityEncoding(Context ctx) {
        for (java.util.Enumeration<String> values = ctx.req().getHeaders("Content-Encoding"); values.hasMoreElements(); ) {
            for (String coding : values.nextElement().split(",")) {
                String c = coding.trim();
                if (c.isEmpty() || c.equalsIgnoreCase("identity")) continue;
                ctx.header("Accept-Encoding", "identity");
                ctx.header("Connection", "close"); // the body is not read
                throw new ApiException(415, "Content-Encoding " + io.prescale.live.tensor.Quoted.of(c)
                        + " is not supported: send the body uncompressed (no Content-Encoding)");
            }
        }
    }

    /**
     * The 408 for a body that came too slowly ({@link BodyRateFloor}) or stopped coming (the idle timeout), found among
     * the causes of {@code e}; null when it is neither. The answer ends the connection: the rest of the body is not read.
     */
    static ApiException late(Context ctx, Throwable e) {
        BodyRateFloor.TooSlow slow = BodyRateFloor.among(e);
        if (slow != null) {
            ctx.header("Connection", "close");
            return new ApiException(408, slow.getMessage());
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException) {
                ctx.header("Connection", "close");
                return new ApiException(408, "request body stalled: no byte for " + LiveServer.BODY_IDLE_TIMEOUT.toSeconds() + " s");
            }
        }
        return null;
    }

    /** Counts {@code bytes} against the budget for this request, or refuses the request with 429. */
    private static long take(Context ctx, BodyBudget budget, long bytes) {
        if (budget == null) return bytes;
        BodyBudget.Held held = BodyBudget.held(ctx.req());
        if (!budget.tryAcquire(bytes)) {
            ctx.header("Retry-After", "1");
            ctx.header("Connection", "close"); // the rest of this body is not wanted
            throw new ApiException(429, "server busy: request bodies in flight would pass " + budget.limit()
                    + " bytes (--max-body-in-flight); retry shortly");
        }
        held.add(bytes);
        return bytes;
    }

    private static void give(Context ctx, BodyBudget budget, long bytes) {
        if (budget == null) return;
        BodyBudget.held(ctx.req()).add(-bytes);
        budget.release(bytes);
    }

    /** The answer also ends the connection (the rest of the body is never wanted); Jetty drains what the client still sends, unbuffered. */
    private static ApiException tooLarge(Context ctx, String size, long limit, String limitName) {
        ctx.header("Connection", "close");
        return new ApiException(413, "body of " + size + " is above the limit of " + limit + " (" + limitName + ")");
    }
}
