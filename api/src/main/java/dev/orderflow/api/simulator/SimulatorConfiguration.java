package dev.orderflow.api.simulator;

import dev.orderflow.api.config.LocalServer;
import dev.orderflow.orchestration.principal.Principals;
import java.net.URI;
import java.time.Duration;
import java.time.Clock;
import java.util.function.Supplier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The simulators' parts, present only with {@code orderflow.simulators=true} (each simulator's
 * controller carries the same condition, so with it false {@code /simulators/...} is 404).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty("orderflow.simulators")
@EnableConfigurationProperties(SimulatorSettings.class)
class SimulatorConfiguration {

    @Bean
    Simulators simulators(SimulatorSettings settings, Clock clock) {
        return new Simulators(settings, clock);
    }

    @Bean
    CreditRules creditRules(SimulatorSettings settings) {
        return new CreditRules(settings.credit().creditLimit());
    }

    @Bean
    SimulatorPrincipal simulatorPrincipal(Principals principals) {
        return new SimulatorPrincipal(principals);
    }

    @Bean
    ShipmentCallback shipmentCallback(SimulatorSettings settings, LocalServer server, SimulatorPrincipal principal) {
        SimulatorSettings.Fulfillment fulfillment = settings.fulfillment();
        URI configured = fulfillment.callbackBaseUrl();
        Supplier<URI> orderflow = configured != null && !configured.toString().isBlank() ? () -> withoutTrailingSlash(configured) : server::baseUri;
        return new ShipmentCallback(callbackClient(), orderflow, principal, fulfillment.callbackRetries(),
                fulfillment.callbackBackoff());
    }

    /**
     * Its own small connection pool: WebClient.create() draws on Reactor Netty's JVM-wide pool,
     * which every other default client shares, so a backlog of callbacks could starve them.
     */
    private static WebClient callbackClient() {
        ConnectionProvider pool = ConnectionProvider.builder("fulfillment-simulator-callbacks")
                .maxConnections(32)
                .pendingAcquireTimeout(Duration.ofSeconds(5))
                .maxIdleTime(Duration.ofSeconds(30))
                .build();
        return WebClient.builder().clientConnector(new ReactorClientHttpConnector(HttpClient.create(pool))).build();
    }

    @Bean
    AutoShipper autoShipper(SimulatorSettings settings, ShipmentCallback callback) {
        return new AutoShipper(settings.fulfillment().autoShip(), settings.fulfillment().shipDelay(), callback);
    }

    private static URI withoutTrailingSlash(URI url) {
        String text = url.toString();
        return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : url;
    }
}
