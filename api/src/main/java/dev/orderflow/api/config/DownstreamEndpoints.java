package dev.orderflow.api.config;

import dev.orderflow.api.config.OrderflowProperties.Downstream;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.stereotype.Component;

/**
 * The base URLs of the systems Orderflow drives orders through: {@code ORDERFLOW_CREDIT_URL},
 * {@code ORDERFLOW_FULFILLMENT_URL} and {@code ORDERFLOW_INVOICING_URL} when set, otherwise the
 * built-in simulator of that system on this very server ({@code http://localhost:<port>/simulators/credit}).
 *
 * <p>Every URL comes without a trailing slash: append the contract's path to it
 * ({@code credit() + "/credit-checks"}); {@link URI#resolve(String)} would drop the last segment.
 * With the simulators off, every URL must be set, and start-up fails naming the one that is not.
 * A simulator URL is known once the server has started; asking earlier throws.
 */
@Component
public class DownstreamEndpoints {

    private static final String SIMULATORS_PATH = "/simulators/";

    private final OrderflowProperties.Downstreams configured;
    private final boolean simulators;
    private final LocalServer server;

    DownstreamEndpoints(OrderflowProperties properties, LocalServer server) {
        this.configured = properties.downstream();
        this.simulators = properties.simulators();
        this.server = server;
        checkConfigured();
    }

    /** Base of {@code POST /credit-checks}. */
    public URI credit() {
        return resolve(configured.credit(), "credit");
    }

    /** Base of {@code POST /fulfillment-requests} and {@code POST /fulfillment-requests/{orderId}/cancel}. */
    public URI fulfillment() {
        return resolve(configured.fulfillment(), "fulfillment");
    }

    /** Base of {@code POST /invoices}. */
    public URI invoicing() {
        return resolve(configured.invoicing(), "invoicing");
    }

    /** Where this server serves the simulator of {@code system} ({@code credit}, {@code fulfillment}, {@code invoicing}). */
    public URI simulator(String system) {
        return URI.create(server.baseUri() + SIMULATORS_PATH + system);
    }

    private URI resolve(Downstream downstream, String system) {
        return isSet(downstream) ? withoutTrailingSlash(downstream.url()) : simulator(system);
    }

    private void checkConfigured() {
        List<String> problems = new ArrayList<>();
        check(configured.credit(), "credit", problems);
        check(configured.fulfillment(), "fulfillment", problems);
        check(configured.invoicing(), "invoicing", problems);
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems));
        }
    }

    private void check(Downstream downstream, String system, List<String> problems) {
        String variable = "ORDERFLOW_" + system.toUpperCase(Locale.ROOT) + "_URL";
        if (!isSet(downstream)) {
            if (!simulators) {
                problems.add(variable + " (orderflow.downstream." + system + ".url) is not set and the built-in"
                        + " simulators are off: set it to the " + system + " system's base URL, or set ORDERFLOW_SIMULATORS=true");
            }
            return;
        }
        URI url = downstream.url();
        boolean http = "http".equalsIgnoreCase(url.getScheme()) || "https".equalsIgnoreCase(url.getScheme());
        if (!http || url.getHost() == null) {
            // the URL may carry credentials: name the variable, never echo the value
            problems.add(variable + " (orderflow.downstream." + system + ".url) must be an absolute http or https URL");
        }
    }

    private static boolean isSet(Downstream downstream) {
        return downstream != null && downstream.url() != null && !downstream.url().toString().isBlank();
    }

    private static URI withoutTrailingSlash(URI url) {
        String text = url.toString();
        return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : url;
    }
}
