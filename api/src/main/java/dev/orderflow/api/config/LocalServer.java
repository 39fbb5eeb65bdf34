package dev.orderflow.api.config;

import java.net.URI;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Orderflow's own address, for the calls it makes to itself (the built-in simulators and their
 * shipment callbacks). The port is known only once the server has started ({@code SERVER_PORT=0}
 * and the tests pick a free one), so it is taken from the server's start event, not from settings.
 */
@Component
public class LocalServer implements ApplicationListener<ReactiveWebServerInitializedEvent> {

    private volatile int port = -1;

    @Override
    public void onApplicationEvent(ReactiveWebServerInitializedEvent event) {
        // a separate management server, if one is configured, is not where the API is served
        if (!WebServerApplicationContext.hasServerNamespace(event.getApplicationContext(), "management")) {
            started(event.getWebServer().getPort());
        }
    }

    void started(int port) {
        this.port = port;
    }

    /**
     * {@code http://localhost:<port>}, without a trailing slash.
     *
     * @throws IllegalStateException before the server has started
     */
    public URI baseUri() {
        int known = port;
        if (known < 0) {
            throw new IllegalStateException("Orderflow's own address is known only once its server has started");
        }
        return URI.create("http://localhost:" + known);
    }
}
