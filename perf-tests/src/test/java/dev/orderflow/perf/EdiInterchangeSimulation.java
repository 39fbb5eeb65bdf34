package dev.orderflow.perf;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.repeat;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Large EDI interchanges, one after another: each carries {@code -Dpos} purchase orders (1,000) of
 * {@code -Dlines} lines (5) each, posted to {@code POST /v1/edi/x12} by one gateway, as a trading
 * partner's nightly batch arrives. Prints the 850 line items taken per second, per interchange and
 * over the measured ones, and what the service's memory did meanwhile (heap scraped every second,
 * resident set size): the interchange is read as a stream, so the heap should grow by a small
 * multiple of the body, not of the orders' objects kept at once.
 *
 * <p>Every answer must be a 997 accepting every transaction set ({@code AK9*A}); the first
 * {@code -Dwarmups} (2) interchanges warm the service up and are not measured.
 *
 * <p>{@code -Dinterchanges=5 -Dwarmups=2 -Dpos=1000 -Dlines=5 -Dskus=10000 -DediWarehouse=... -Dseed=api|none}
 */
public class EdiInterchangeSimulation extends Simulation {

    private final String runId = Settings.runId();
    private final int interchanges = Settings.integer("interchanges", 5);
    private final int warmups = Settings.integer("warmups", 2);
    private final int purchaseOrders = Settings.integer("pos", 1_000);
    private final int linesPerOrder = Settings.integer("lines", 5);
    private final int skus = Settings.integer("skus", 10_000);
    private final String warehouse = Settings.text("ediWarehouse", "W1");
    private final List<String> catalogue = OrderBodies.catalogue(skus);
    private final String sender = "PERF" + runId.toUpperCase(Locale.ROOT);
    private final AtomicLong control = new AtomicLong();
    private final List<Long> measuredMillis = new CopyOnWriteArrayList<>();
    private final ServiceMetrics metrics = new ServiceMetrics(Settings.baseUrl(), Settings.servicePid());
    private volatile String token;
    private volatile int bodyBytes;

    @Override
    public void before() {
        Report.line("EdiInterchangeSimulation: %d interchanges (%d warm-up) of %,d POs x %d lines, one at a time, run %s, against %s",
                warmups + interchanges, warmups, purchaseOrders, linesPerOrder, runId, Settings.baseUrl());
        Setup setup = new Setup(Settings.baseUrl(), Settings.adminKey());
        token = setup.channelToken("edi-" + runId);
        long units = (long) (warmups + interchanges) * purchaseOrders * linesPerOrder * 2;
        Stocking.stockCatalogue(setup, warehouse, catalogue, 1_000_000, (long) Math.ceil((double) units * 3 / skus));
        metrics.start(Duration.ofSeconds(1));
    }

    {
        ScenarioBuilder gateway = scenario("EDI gateway").exec(repeat(warmups + interchanges, "n").on(
                exec(this::interchange)
                        .exec(http("POST /v1/edi/x12")
                                .post("/v1/edi/x12")
                                .header("Authorization", session -> "Bearer " + token)
                                .header("Content-Type", "application/edi-x12")
                                .header("Accept", "application/edi-x12")
                                .body(StringBody(session -> session.getString("edi.body")))
                                .requestTimeout(Duration.ofMinutes(5))
                                .check(status().is(200))
                                .check(bodyString().transform(EdiInterchangeSimulation::allAccepted).is(true)))
                        .exec(this::timed)));

        setUp(gateway.injectOpen(atOnceUsers(1)))
                .protocols(Protocol.http())
                .assertions(global().failedRequests().count().is(0L));
    }

    private Session interchange(Session session) {
        long number = control.incrementAndGet();
        List<X12Interchanges.PurchaseOrder> orders = new ArrayList<>(purchaseOrders);
        for (int i = 1; i <= purchaseOrders; i++) {
            orders.add(new X12Interchanges.PurchaseOrder("PO-" + runId + "-" + number + "-" + i, "B" + (i % 50),
                    OrderBodies.randomLines(catalogue, linesPerOrder, linesPerOrder)));
        }
        String body = X12Interchanges.interchange(sender, number, orders);
        bodyBytes = body.length();
        return session.set("edi.body", body).set("edi.started", System.nanoTime());
    }

    /** The 997's AK9: every transaction set received was accepted. */
    static boolean allAccepted(String acknowledgment) {
        return acknowledgment != null && acknowledgment.contains("AK9*A*");
    }

    private Session timed(Session session) {
        long millis = (System.nanoTime() - session.getLong("edi.started")) / 1_000_000;
        int n = session.getInt("n");
        boolean measured = n >= warmups;
        if (measured && !session.isFailed()) {
            measuredMillis.add(millis);
        }
        Report.line("interchange %d%s: %,d ms, %,.0f line items/s", n + 1, measured ? "" : " (warm-up)", millis,
                lineItems() * 1000.0 / Math.max(1, millis));
        return session.remove("edi.body");
    }

    private long lineItems() {
        return (long) purchaseOrders * linesPerOrder;
    }

    @Override
    public void after() {
        metrics.stop();
        long total = measuredMillis.stream().mapToLong(Long::longValue).sum();
        double perSecond = measuredMillis.isEmpty() ? 0 : lineItems() * measuredMillis.size() * 1000.0 / total;
        List<ServiceMetrics.Sample> samples = metrics.samples();
        double heapMax = samples.stream().mapToDouble(ServiceMetrics.Sample::heapUsed).max().orElse(-1);
        double heapFirst = samples.isEmpty() ? -1 : samples.get(0).heapUsed();
        double rssMax = samples.stream().mapToDouble(ServiceMetrics.Sample::rss).max().orElse(-1);
        Report.line("body: %,d bytes per interchange (%,d POs, %,d line items)", bodyBytes, purchaseOrders, lineItems());
        Report.line("measured: %d interchanges, %,.0f line items/s (%,.0f POs/s), mean %,d ms per interchange",
                measuredMillis.size(), perSecond, perSecond / linesPerOrder, measuredMillis.isEmpty() ? 0 : total / measuredMillis.size());
        Report.line("service memory: heap used %,.0f MB at start, at most %,.0f MB (scraped every second); resident set at most %,.0f MB",
                heapFirst / 1e6, heapMax / 1e6, rssMax / 1e6);
        Report report = new Report();
        report.put("edi_line_items_per_s", String.format(Locale.ROOT, "%.0f", perSecond));
        report.put("edi_interchange_ms", measuredMillis);
        report.put("edi_heap_max_mb", String.format(Locale.ROOT, "%.0f", heapMax / 1e6));
        report.put("edi_rss_max_mb", String.format(Locale.ROOT, "%.0f", rssMax / 1e6));
        report.write();
    }
}
