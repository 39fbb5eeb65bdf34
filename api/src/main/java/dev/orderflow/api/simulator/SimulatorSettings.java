package dev.orderflow.api.simulator;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the built-in simulators behave, read only when {@code orderflow.simulators=true}. Each
 * system's latency, error rate and outage can also be changed while running, through
 * {@code PUT /simulators/{system}/behaviour}.
 *
 * @param credit      the credit check system
 * @param fulfillment the warehouse system, with its automatic shipment confirmations
 * @param invoicing   the invoicing system
 * @param maxCalls    how many accepted calls each simulator remembers, oldest forgotten first (default 100000)
 */
@ConfigurationProperties("orderflow.simulator")
public record SimulatorSettings(@DefaultValue Credit credit, @DefaultValue Fulfillment fulfillment,
        @DefaultValue Invoicing invoicing, @DefaultValue("100000") int maxCalls) {

    public SimulatorSettings {
        if (maxCalls < 1) {
            throw new IllegalArgumentException("orderflow.simulator.max-calls must be at least 1");
        }
    }

    /**
     * @param latency     how long each answer takes (default 20ms)
     * @param errorRate   the share of calls answered 500, from 0.0 to 1.0 (default 0.0)
     * @param outage      answer every call 503 with {@code Retry-After} (default false)
     * @param creditLimit an order amount above this is put on hold (default 10000.00)
     */
    public record Credit(@DefaultValue("20ms") Duration latency, @DefaultValue("0.0") double errorRate,
            @DefaultValue("false") boolean outage, @DefaultValue("10000.00") BigDecimal creditLimit) {

        public Credit {
            Behaviour.check("credit", latency, errorRate);
        }

        Behaviour behaviour() {
            return new Behaviour(latency, errorRate, outage);
        }
    }

    /**
     * @param latency         how long each answer takes (default 20ms)
     * @param errorRate       the share of calls answered 500, from 0.0 to 1.0 (default 0.0)
     * @param outage          answer every call 503 with {@code Retry-After} (default false)
     * @param autoShip        ship every requested line a while after each fulfillment request, and
     *                        confirm it on Orderflow's API (default true)
     * @param shipDelay       how long after the request the shipment is confirmed (default 2s)
     * @param callbackBaseUrl where the shipment confirmations go (default: this server,
     *                        {@code http://localhost:<port>})
     * @param callbackRetries how often a confirmation that failed for a passing reason is retried (default 4)
     * @param callbackBackoff the first wait before a retry, doubling after each (default 500ms)
     */
    public record Fulfillment(@DefaultValue("20ms") Duration latency, @DefaultValue("0.0") double errorRate,
            @DefaultValue("false") boolean outage, @DefaultValue("true") boolean autoShip,
            @DefaultValue("2s") Duration shipDelay, URI callbackBaseUrl, @DefaultValue("4") int callbackRetries,
            @DefaultValue("500ms") Duration callbackBackoff) {

        public Fulfillment {
            Behaviour.check("fulfillment", latency, errorRate);
            if (shipDelay.isNegative() || callbackRetries < 0 || callbackBackoff.isNegative()) {
                throw new IllegalArgumentException("orderflow.simulator.fulfillment: ship-delay, callback-retries"
                        + " and callback-backoff must not be negative");
            }
        }

        Behaviour behaviour() {
            return new Behaviour(latency, errorRate, outage);
        }
    }

    /**
     * @param latency   how long each answer takes (default 20ms)
     * @param errorRate the share of calls answered 500, from 0.0 to 1.0 (default 0.0)
     * @param outage    answer every call 503 with {@code Retry-After} (default false)
     */
    public record Invoicing(@DefaultValue("20ms") Duration latency, @DefaultValue("0.0") double errorRate,
            @DefaultValue("false") boolean outage) {

        public Invoicing {
            Behaviour.check("invoicing", latency, errorRate);
        }

        Behaviour behaviour() {
            return new Behaviour(latency, errorRate, outage);
        }
    }
}
