package io.prescale.live.bench;

/** Lets tests outside the package read a Server-Timing value as the load generators do. */
public final class KeepAliveClientAccess {
    private KeepAliveClientAccess() {}

    public static long serverMicros(String serverTiming) {
        return KeepAliveClient.serverMicros(serverTiming);
    }
}
