package dev.orderflow.api.simulator;

import static dev.orderflow.api.simulator.SimulatorContractIT.creditBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.api.config.DownstreamEndpoints;
import dev.orderflow.api.support.IntegrationTest;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;

/** With {@code ORDERFLOW_SIMULATORS=false} nothing of the simulators exists, and the configured downstream URLs are used. */
@TestPropertySource(properties = {
        "orderflow.simulators=false",
        // a context of its own: only the shared test context may run workers (engine, webhook dispatcher), or two would claim each other's steps
        "orderflow.workers.enabled=false",
        // with the simulators off, start-up requires every downstream URL
        "orderflow.downstream.credit.url=http://credit.example.test",
        "orderflow.downstream.fulfillment.url=http://fulfillment.example.test/api/",
        "orderflow.downstream.invoicing.url=https://invoicing.example.test"})
class SimulatorsOffIT extends IntegrationTest {

    @Autowired
    DownstreamEndpoints downstream;

    @Autowired
    ApplicationContext context;

    @Test
    void theSimulatorRoutesAreNotFound() {
        http.post().uri("/simulators/credit/credit-checks")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(creditBody("order-1", "C-1", "1.00"))
                .exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        http.get().uri("/simulators/credit/behaviour").exchange().expectStatus().isNotFound();
        http.get().uri("/simulators/fulfillment/calls").exchange().expectStatus().isNotFound();
    }

    @Test
    void noSimulatorPartIsCreated() {
        assertThat(context.getBeanNamesForType(Simulators.class)).isEmpty();
        assertThat(context.getBeanNamesForType(SimulatorPrincipal.class)).isEmpty();
        assertThat(context.getBeanNamesForType(AutoShipper.class)).isEmpty();
    }

    @Test
    void theDownstreamUrlsAreTheConfiguredOnes() {
        assertThat(downstream.credit()).isEqualTo(URI.create("http://credit.example.test"));
        assertThat(downstream.fulfillment()).isEqualTo(URI.create("http://fulfillment.example.test/api"));
        assertThat(downstream.invoicing()).isEqualTo(URI.create("https://invoicing.example.test"));
    }
}
