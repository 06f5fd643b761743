package io.prescale.live.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ServerTimingTest {
    @Test
    void readsTheFirstDurationInMicroseconds() {
        assertThat(KeepAliveClient.serverMicros("infer;dur=1.234")).isEqualTo(1234);    // 1.234 ms = 1,234 us
        assertThat(KeepAliveClient.serverMicros("db;dur=53, app;dur=47.2")).isEqualTo(53_000);
        assertThat(KeepAliveClient.serverMicros("infer;dur=0.0004")).isEqualTo(0);      // 0.4 us rounds to 0
        assertThat(KeepAliveClient.serverMicros("miss")).isEqualTo(-1);
        assertThat(KeepAliveClient.serverMicros("infer;dur=")).isEqualTo(-1);
    }
}
