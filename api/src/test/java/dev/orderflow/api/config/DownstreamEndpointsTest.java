package dev.orderflow.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orderflow.api.config.OrderflowProperties.Downstream;
import dev.orderflow.api.config.OrderflowProperties.Downstreams;
import java.net.URI;
import org.junit.jupiter.api.Test;

class DownstreamEndpointsTest {

    private final LocalServer server = new LocalServer();

    @Test
    void anUnsetUrlIsTheSimulatorOnThisServersPort() {
        server.started(8123);
        DownstreamEndpoints endpoints = new DownstreamEndpoints(properties(true, null, null, null), server);

        assertThat(endpoints.credit()).isEqualTo(URI.create("http://localhost:8123/simulators/credit"));
        assertThat(endpoints.fulfillment()).isEqualTo(URI.create("http://localhost:8123/simulators/fulfillment"));
        assertThat(endpoints.invoicing()).isEqualTo(URI.create("http://localhost:8123/simulators/invoicing"));
    }

    @Test
    void aConfiguredUrlWinsAndLosesItsTrailingSlash() {
        DownstreamEndpoints endpoints = new DownstreamEndpoints(
                properties(true, "https://credit.example.com/api/", null, "http://invoicing:9000"), server);
        server.started(8080);

        assertThat(endpoints.credit()).isEqualTo(URI.create("https://credit.example.com/api"));
        assertThat(endpoints.fulfillment()).isEqualTo(URI.create("http://localhost:8080/simulators/fulfillment"));
        assertThat(endpoints.invoicing()).isEqualTo(URI.create("http://invoicing:9000"));
    }

    @Test
    void theSimulatorsPortIsResolvedOnFirstUseNotAtStartUp() {
        // built before the server has a port, as at start-up; the URL is asked for later
        DownstreamEndpoints endpoints = new DownstreamEndpoints(properties(true, null, null, null), server);

        assertThatThrownBy(endpoints::credit).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("once its server has started");
        server.started(41000);
        assertThat(endpoints.credit()).isEqualTo(URI.create("http://localhost:41000/simulators/credit"));
    }

    @Test
    void withTheSimulatorsOffAnUnsetUrlFailsStartUpNamingTheVariable() {
        assertThatThrownBy(() -> new DownstreamEndpoints(properties(false, "http://credit", null, "http://invoicing"), server))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ORDERFLOW_FULFILLMENT_URL")
                .hasMessageNotContaining("ORDERFLOW_CREDIT_URL")
                .hasMessageNotContaining("ORDERFLOW_INVOICING_URL");
    }

    @Test
    void withTheSimulatorsOffEveryUnsetUrlIsNamedAtOnce() {
        assertThatThrownBy(() -> new DownstreamEndpoints(properties(false, null, null, ""), server))
                .hasMessageContaining("ORDERFLOW_CREDIT_URL")
                .hasMessageContaining("ORDERFLOW_FULFILLMENT_URL")
                .hasMessageContaining("ORDERFLOW_INVOICING_URL");
    }

    @Test
    void withTheSimulatorsOffSetUrlsAreEnough() {
        DownstreamEndpoints endpoints = new DownstreamEndpoints(
                properties(false, "http://credit", "http://fulfillment", "http://invoicing"), server);

        assertThat(endpoints.fulfillment()).isEqualTo(URI.create("http://fulfillment"));
    }

    @Test
    void aUrlThatIsNotAbsoluteHttpIsRefusedWithoutEchoingIt() {
        assertThatThrownBy(() -> new DownstreamEndpoints(
                properties(true, "ftp://user:secret@credit", "fulfillment.local/api", null), server))
                .hasMessageContaining("ORDERFLOW_CREDIT_URL")
                .hasMessageContaining("ORDERFLOW_FULFILLMENT_URL")
                .hasMessageNotContaining("secret");
    }

    private static OrderflowProperties properties(boolean simulators, String credit, String fulfillment, String invoicing) {
        Downstreams downstreams = new Downstreams(downstream(credit), downstream(fulfillment), downstream(invoicing));
        return new OrderflowProperties(null, null, null, simulators, null, 1000, downstreams, null, null, null, null, null, null, null, null);
    }

    private static Downstream downstream(String url) {
        return new Downstream(url == null ? null : URI.create(url));
    }
}
