package io.prescale.live.cli;

import io.prescale.core.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReplayTargetTest {
    @Test
    void aTargetWithoutItsSchemeIsNamedAsTheFlag() {
        // was "URI with undefined scheme", from the HTTP client, after the trace was read
        assertThatThrownBy(() -> ReplayCommand.checkTarget(URI.create("localhost:18999"))).isInstanceOf(ConfigException.class)
                .hasMessage("--target: 'localhost:18999' is not a runner's URL such as http://127.0.0.1:8080");
        assertThatThrownBy(() -> ReplayCommand.checkTarget(URI.create("127.0.0.1"))).isInstanceOf(ConfigException.class);
        assertThatCode(() -> ReplayCommand.checkTarget(URI.create("http://127.0.0.1:8080"))).doesNotThrowAnyException();
        // the load generator speaks plain HTTP: an https URL sent clear text to a TLS port (taken, then answers not HTTP)
        assertThatThrownBy(() -> ReplayCommand.checkTarget(URI.create("https://127.0.0.1:8443"))).isInstanceOf(ConfigException.class)
                .hasMessage("--target: 'https://127.0.0.1:8443': replay sends plain HTTP (the runner serves no TLS); give its http:// URL");
    }

    @Test
    void aRefusedConnectionIsSaidInWordsNotAsItsExceptionClass() throws Exception {
        // a port nothing listens on: taken from the system, then let go
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        URI target = URI.create("http://127.0.0.1:" + port);
        java.io.IOException refused = org.assertj.core.api.Assertions.catchThrowableOfType(() -> java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(target.resolve("/models")).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString()),
                java.io.IOException.class);
        // was "cannot reach http://127.0.0.1:PORT: ConnectException (is `prescale serve` running there?)"
        org.assertj.core.api.Assertions.assertThat(ReplayCommand.unreachable(target, refused))
                .isEqualTo("cannot reach " + target + ": connection refused (is `prescale serve` running on that port?)");
        // an unknown host comes as the same message-less ConnectException, over an UnresolvedAddressException (as the
        // JDK's client throws it; built here, so that the test asks no name server)
        java.io.IOException unknown = (java.io.IOException) new java.net.ConnectException().initCause(
                new java.net.ConnectException().initCause(new java.nio.channels.UnresolvedAddressException()));
        org.assertj.core.api.Assertions.assertThat(ReplayCommand.unreachable(URI.create("http://no-such-host.invalid:8080"), unknown))
                .isEqualTo("cannot reach http://no-such-host.invalid:8080: unknown host 'no-such-host.invalid'");
    }

    @Test
    void theSpeedIsPrintedAsGiven() {
        // "%.0fx" printed --speed 0.25 as "replayed ... at 0x" and 1.5 as "at 2x"
        org.assertj.core.api.Assertions.assertThat(ReplayCommand.speedLabel(0.25)).isEqualTo("0.25");
        org.assertj.core.api.Assertions.assertThat(ReplayCommand.speedLabel(1.5)).isEqualTo("1.5");
        org.assertj.core.api.Assertions.assertThat(ReplayCommand.speedLabel(600)).isEqualTo("600");
    }
}
