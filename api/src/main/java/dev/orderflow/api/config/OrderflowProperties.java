package dev.orderflow.api.config;

import dev.orderflow.orchestration.support.MicroBatcher;
import java.net.URI;
import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Orderflow's settings. Each comes from the environment variable in the contract's table
 * ({@code ORDERFLOW_DATABASE_URL} and so on, mapped in {@code application.yml}) or from the Spring
 * property under {@code orderflow.*}.
 *
 * @param database   PostgreSQL; unset means the embedded default
 * @param redis      Redis; unset means the embedded default
 * @param adminKey   the admin bearer token; unset means generate one at first start and print it once
 * @param simulators serve the built-in credit, fulfillment and invoicing simulators (embedded default: true)
 * @param webhooks   webhook delivery settings
 * @param rateLimit  requests per second per principal, with an equal burst (default 1000)
 * @param embedded   where the embedded default keeps its data
 * @param intake     order intake settings
 * @param stockKeeping how often background jobs settle reservations and check Redis against PostgreSQL
 * @param engine     how the step engine drives orders through credit, fulfillment and invoicing
 * @param workers    whether this instance claims shared background work
 * @param edi        EDI intake settings
 * @param jwt        optional JWT bearer tokens from the company's identity provider
 * @param metrics    how often the gauges read from PostgreSQL are refreshed
 */
@ConfigurationProperties("orderflow")
public record OrderflowProperties(
        @DefaultValue Database database,
        @DefaultValue Redis redis,
        String adminKey,
        @DefaultValue("false") boolean simulators,
        @DefaultValue Webhooks webhooks,
        @DefaultValue("1000") int rateLimit,
        @DefaultValue Downstreams downstream,
        @DefaultValue Embedded embedded,
        @DefaultValue Intake intake,
        @DefaultValue StockKeeping stockKeeping,
        @DefaultValue Engine engine,
        @DefaultValue Workers workers,
        @DefaultValue Edi edi,
        @DefaultValue Jwt jwt,
        @DefaultValue Metrics metrics) {

    /** @param url {@code postgresql://user:password@host:port/database} */
    public record Database(String url) {
    }

    /** @param url {@code redis://host:port/db}, or a comma-separated cluster seed list */
    public record Redis(String url) {
    }

    /** @param allowPrivate allow webhook targets on private or loopback addresses (embedded default: true) */
    public record Webhooks(@DefaultValue("false") boolean allowPrivate) {
    }

    /** Base URLs of the systems Orderflow drives orders through. */
    public record Downstreams(@DefaultValue Downstream credit, @DefaultValue Downstream fulfillment,
            @DefaultValue Downstream invoicing) {
    }

    /** @param url base URL; unset means the built-in simulator */
    public record Downstream(URI url) {
    }

    /**
     * Orders arriving close together share one Redis call and one transaction (a batch).
     *
     * @param defaultWarehouse where an order without a {@code warehouse} is sourced (default {@code W1})
     * @param maxBatch         the most orders in one batch (default 256)
     * @param maxInFlight      the most batches being reserved and committed at once (default 4); more
     *                         orders than these take wait and go together in the next batch
     * @param maxQueued        the most orders waiting for a batch (default 1024); beyond that new
     *                         orders are refused at once with 503 and {@code Retry-After}
     * @param maxQueueWait     if set, new orders are also refused so while the oldest waiting order
     *                         has waited longer than this (default: unset, no bound)
     */
    public record Intake(@DefaultValue("W1") String defaultWarehouse, @DefaultValue("256") int maxBatch,
            @DefaultValue("4") int maxInFlight, @DefaultValue("1024") int maxQueued, java.time.Duration maxQueueWait) {

        public MicroBatcher.Limits batchLimits() {
            return new MicroBatcher.Limits(maxBatch, maxInFlight, maxQueued, maxQueueWait);
        }
    }

    /**
     * The step engine; see {@code EngineSettings} for what each does.

     * @param pollInterval        default 1s
     * @param concurrency         default 64
     * @param lease               default 60s (at least twice the call timeout)
     * @param maxAttempts         default 12
     * @param backoffBase         default 1s
     * @param backoffMax          default 5m
     * @param callTimeout         default 10s
     * @param breakerWaitInOpen   default 15s
     * @param breakerMinimumCalls default 10
     * @param breakerFailureRate  default 50 (percent)
     * @param bulkhead            default 64 concurrent calls per downstream
     * @param approvalThresholdPercent discounts above this wait for an approver (default 20)
     */
    public record Engine(@DefaultValue("1s") java.time.Duration pollInterval, @DefaultValue("64") int concurrency,
            @DefaultValue("60s") java.time.Duration lease, @DefaultValue("12") int maxAttempts,
            @DefaultValue("1s") java.time.Duration backoffBase, @DefaultValue("5m") java.time.Duration backoffMax,
            @DefaultValue("10s") java.time.Duration callTimeout, @DefaultValue("15s") java.time.Duration breakerWaitInOpen,
            @DefaultValue("10") int breakerMinimumCalls, @DefaultValue("50") float breakerFailureRate,
            @DefaultValue("64") int bulkhead, @DefaultValue("20") java.math.BigDecimal approvalThresholdPercent) {

        public dev.orderflow.orchestration.step.EngineSettings settings() {
            return new dev.orderflow.orchestration.step.EngineSettings(pollInterval, concurrency, lease, maxAttempts, backoffBase,
                    backoffMax, callTimeout, breakerWaitInOpen, breakerMinimumCalls, breakerFailureRate, bulkhead,
                    approvalThresholdPercent);
        }
    }

    /**
     * @param enabled      run this instance's step engine and webhook dispatcher (default true); an
     *                     instance that only serves requests, or a second test context, turns them off
     * @param drainTimeout at shutdown, how long steps and webhook sends in flight may take to finish
     *                     before they are given back to other instances (default 15s); keep it below
     *                     {@code spring.lifecycle.timeout-per-shutdown-phase}
     */
    public record Workers(@DefaultValue("true") boolean enabled, @DefaultValue("15s") java.time.Duration drainTimeout) {
    }

    /**
     * @param refreshInterval how often the backlog and open-order gauges are read from PostgreSQL (default 15s)
     */
    public record Metrics(@DefaultValue("15s") java.time.Duration refreshInterval) {
    }

    /**
     * @param sweepInterval     how often abandoned reservations are looked for (default 5s)
     * @param reconcileInterval how often Redis is compared with PostgreSQL (default 30s)
     */
    public record StockKeeping(@DefaultValue("5s") java.time.Duration sweepInterval,
            @DefaultValue("30s") java.time.Duration reconcileInterval) {
    }

    /**
     * @param dataDir   where the embedded PostgreSQL keeps its data between restarts (default {@code .orderflow})
     * @param ephemeral start from an empty folder and delete it at exit (tests)
     */
    public record Embedded(@DefaultValue(".orderflow") Path dataDir, @DefaultValue("false") boolean ephemeral) {
    }

    /**
     * @param maxPurchaseOrders the most 850s one interchange may carry (default 10,000); they are held
     *                          until the interchange has been read whole
     * @param documentInterval  how often changes of EDI orders are looked at for a 855, 856 or 810 to send (default 250ms)
     * @param maxInterchangeSize the largest body {@code POST /v1/edi/x12} reads; a larger one is a 413 (default 16MB)
     */
    public record Edi(@DefaultValue("10000") int maxPurchaseOrders, @DefaultValue("250ms") java.time.Duration documentInterval,
            @DefaultValue("16MB") org.springframework.util.unit.DataSize maxInterchangeSize) {
    }

    /**
     * JWT bearer tokens beside API keys; off unless an issuer or a JWK set is configured.
     *
     * @param issuerUri     the issuer ({@code iss}) tokens must name; its JWK set is found through
     *                      {@code <issuer>/.well-known/openid-configuration} unless {@code jwkSetUri} is set
     * @param jwkSetUri     where the signing keys are, when not found through the issuer
     * @param audience      an {@code aud} value tokens must carry; unset: not checked
     * @param rolesClaim    the claim holding Orderflow role codes (default {@code roles})
     * @param channelsClaim the claim holding the channels the caller may see (default {@code channels})
     */
    public record Jwt(String issuerUri, String jwkSetUri, String audience, @DefaultValue("roles") String rolesClaim,
            @DefaultValue("channels") String channelsClaim) {

        public boolean enabled() {
            return (issuerUri != null && !issuerUri.isBlank()) || (jwkSetUri != null && !jwkSetUri.isBlank());
        }
    }
}
