package io.prescale.live.http;

import io.javalin.config.Key;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The floor on how slowly a request body may arrive ({@code serve --min-request-rate}, bytes per second): a request
 * thread blocks while it reads a body, so without one a few hundred clients that each send a byte now and then (each byte
 * resets the idle timeout) hold every request thread.
 * <p>
 * Measured on the sender alone: the rate is the bytes read over the time the reading thread spent <em>waiting</em> inside
 * a read for them, and it is enforced once a body has been waited for {@link #GRACE} in all. Jetty's own floor
 * ({@code HttpConfiguration.setMinRequestDataRate}, which this replaces) divides the bytes the server has taken so far by
 * the time since the first one, from its check before each read: the time the server spent between reads (parsing a
 * multipart body and writing its file part to disk, JIT, GC, or just not being scheduled on a loaded machine) counted
 * against the client, whose bytes were already waiting in the socket. Small uploads from fast clients got 408 at load
 * averages of 12-18 that way. Here a read that finds bytes waiting costs the sender nothing, however late the server
 * comes for them, while a sender that keeps a read waiting is held to the floor: one that sends a byte every half
 * second is cut off after 2 s of waiting (Jetty cut it at its second byte, 0.5 s; the grace keeps a few slow reads
 * on a loaded machine, the sender's or the server's, from being taken for a trickle). A body that stops arriving
 * altogether is ended by the idle timeout ({@link LiveServer#BODY_IDLE_TIMEOUT}), and what bodies hold by the body budget.
 * <p>
 * What a read's waiting still holds that is not the sender's: the reading thread's wake-up, from when Jetty's selector
 * finds the socket readable until the thread runs again. It is left in. Measuring it out needs the moment the socket became
 * readable, which Jetty 11 gives a blocked reader no way to learn (its selector completes the connection's fill-interest
 * callback; stamping that would mean replacing the connector's endpoints), and it costs a sender little: bytes that arrive
 * during a wake-up are taken by the same read, so a sender that keeps sending is measured at its own rate however late the
 * thread wakes. Only a sender near the floor that sends small writes far apart is measured slower than it is, by the
 * wake-up's share of each gap (a 100-byte write every 5 ms, 20 KB/s, read with a 5 ms wake-up each: 10 KB/s).
 */
final class BodyRateFloor {
    static final Key<BodyRateFloor> KEY = new Key<>("prescale.bodyRateFloor");

    /** Waiting a body may cost before the floor applies to it. */
    static final Duration GRACE = Duration.ofSeconds(2);

    private final long bytesPerSecond;
    private final LongSupplier nanoTime;

    /**
     * @param bytesPerSecond the floor (0: none)
     * @param nanoTime       the clock reads are timed on ({@code System::nanoTime}; tests give their own)
     */
    BodyRateFloor(long bytesPerSecond, LongSupplier nanoTime) {
        if (bytesPerSecond < 0) throw new IllegalArgumentException("the body rate floor must be >= 0, got " + bytesPerSecond);
        this.bytesPerSecond = bytesPerSecond;
        this.nanoTime = nanoTime;
    }

    long bytesPerSecond() {
        return bytesPerSecond;
    }

    /** {@code body} read under the floor: a read that leaves the sender below it fails with {@link TooSlow}. */
    InputStream guard(InputStream body) {
        return bytesPerSecond == 0 ? body : new Guarded(body);
    }

    /** A body that arrived below the floor: an IOException, so that parsers reading it (multipart) pass it on. */
    static final class TooSlow extends IOException {
        TooSlow(String message) {
            super(message);
        }
    }

    /** The {@link TooSlow} among {@code e}'s causes, or null. */
    static TooSlow among(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) if (t instanceof TooSlow slow) return slow;
        return null;
    }

    private final class Guarded extends FilterInputStream {
        private long bytes;
        private long waitedNanos;

        Guarded(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            long start = nanoTime.getAsLong();
            int b = super.read();
            count(start, b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            long start = nanoTime.getAsLong();
            int n = super.read(b, off, len);
            count(start, Math.max(0, n));
            return n;
        }

        private void count(long start, int n) throws TooSlow {
            waitedNanos += Math.max(0, nanoTime.getAsLong() - start);
            bytes += n;
            if (waitedNanos < GRACE.toNanos()) return;
            double seconds = waitedNanos / 1e9;
            if (bytes < bytesPerSecond * seconds)
                throw new TooSlow(String.format(Locale.ROOT, "request body too slow: %d bytes in %.1f s of waiting for them, below %d bytes/s "
                        + "(--min-request-rate)", bytes, seconds, bytesPerSecond));
        }
    }
}
