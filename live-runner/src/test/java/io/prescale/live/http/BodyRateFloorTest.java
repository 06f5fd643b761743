package io.prescale.live.http;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The floor times the reads that wait for a sender's bytes, on a manual clock here, and nothing between them. */
class BodyRateFloorTest {
    private static final long SECOND = 1_000_000_000L;

    /** A body of {@code size} bytes whose every read returns {@code perRead} bytes after {@code waitNanos} on {@code clock}. */
    private static InputStream body(AtomicLong clock, int size, int perRead, long waitNanos) {
        return new InputStream() {
            int left = size;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0) return -1;
                clock.addAndGet(waitNanos);
                int n = Math.min(left, Math.min(len, perRead));
                left -= n;
                return n;
            }
        };
    }

    @Test
    void theServersOwnTimeBetweenReadsIsNotTheSenders() throws IOException {
        AtomicLong clock = new AtomicLong();
        BodyRateFloor floor = new BodyRateFloor(16 * 1024, clock::get);
        // 8 KB reads that find their bytes waiting (no time in the read), a minute of the server's own work after each:
        // Jetty's floor asked 16 KB/s of the time since the first byte, 960 KB after the first minute, and cut it off
        InputStream in = floor.guard(body(clock, 80 << 10, 8 << 10, 0));
        byte[] b = new byte[8 << 10];
        long total = 0;
        for (int n; (n = in.read(b, 0, b.length)) > 0; clock.addAndGet(60 * SECOND)) total += n;
        assertThat(total).isEqualTo(80 << 10);
    }

    @Test
    void aSenderIsHeldToTheFloorOnceItsBodyHasBeenWaitedForTwoSeconds() throws IOException {
        AtomicLong clock = new AtomicLong();
        BodyRateFloor floor = new BodyRateFloor(16 * 1024, clock::get);
        // a byte per half second of waiting: 3 reads (1.5 s) are within the grace, the 4th (2 bytes/s over 2 s) is cut off
        InputStream trickle = floor.guard(body(clock, 100, 1, SECOND / 2));
        for (int i = 0; i < 3; i++) assertThat(trickle.read(new byte[10], 0, 10)).isEqualTo(1);
        assertThatThrownBy(() -> trickle.read(new byte[10], 0, 10)).isInstanceOf(BodyRateFloor.TooSlow.class)
                .hasMessage("request body too slow: 4 bytes in 2.0 s of waiting for them, below 16384 bytes/s (--min-request-rate)");
        // at the floor: 16 KB for each second waited, 10 s of it, is never cut off (one byte less a second would be)
        InputStream steady = floor.guard(body(clock, 160 << 10, 16 << 10, SECOND));
        assertThat(drain(steady)).isEqualTo(160 << 10);
        InputStream under = floor.guard(body(clock, 160 << 10, (16 << 10) - 1, SECOND));
        assertThatThrownBy(() -> drain(under)).isInstanceOf(BodyRateFloor.TooSlow.class).hasMessageContaining("32766 bytes in 2.0 s");
    }

    /** Reads {@code in} to its end in 64 KB reads; the bytes read. */
    private static long drain(InputStream in) throws IOException {
        byte[] b = new byte[64 << 10];
        long total = 0;
        for (int n; (n = in.read(b, 0, b.length)) > 0; ) total += n;
        return total;
    }

    @Test
    void noFloorReadsTheBodyAsItIs() {
        InputStream raw = InputStream.nullInputStream();
        assertThat(new BodyRateFloor(0, () -> { throw new AssertionError("no clock read without a floor"); }).guard(raw)).isSameAs(raw);
    }
}
