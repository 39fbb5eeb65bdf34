package dev.orderflow.perf;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.asLongAs;
import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.nothingFor;
import static io.gatling.javaapi.core.CoreDsl.pause;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.regex;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.sse;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.PopulationBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Every channel at once, as in the busy season: a web shop posting REST orders, an EDI gateway
 * posting X12 850 interchanges of many purchase orders ({@code POST /v1/edi/x12}), status reads of
 * the orders just taken ({@code GET /v1/orders/{id}}), and both channels' live event streams
 * ({@code GET /v1/events}) kept open from before the first order to after the last.
 *
 * <p>EDI orders are sourced from the service's default warehouse ({@code orderflow.intake.default-warehouse},
 * {@code W1} unless set; {@code bench.sh} sets it to the run's warehouse), so the catalogue is stocked
 * there too. The verdicts: each stream told about every order its channel had accepted, each
 * interchange was acknowledged with an accepting 997, and the REST p99.
 *
 * <p>{@code -Drate=300 (REST orders/s) -DediRate=2 (interchanges/s) -DediOrders=25 (POs each)
 * -DreadRate=200 -Dstreams=1 (per channel) -Dduration=3m -Dwarmup=30s -Dskus=10000 -Dp99=50
 * -Dwarehouse=... -DediWarehouse=W1 -Dseed=api|none}
 */
public class MixedChannelsSimulation extends Simulation {

    static final String WARM_UP = "warm-up";
    static final String MEASURED = "measured";
    /** Orders start this long after the streams connect, so no event is sent before a stream listens. */
    private static final Duration STREAMS_FIRST = Duration.ofSeconds(3);
    /**
     * After the last order is sent, streams stay open until every order answered 2xx has been told
     * about and no request is in flight, or this long at most.
     */
    private static final Duration STREAMS_LINGER = Duration.ofSeconds(60);
    private static final Pattern ORDER_ID = Pattern.compile("^\\{\"id\":\"([^\"]+)\"");

    private final String runId = Settings.runId();
    private final double rate = Settings.number("rate", 300);
    private final double ediRate = Settings.number("ediRate", 2);
    private final int ediOrders = Settings.integer("ediOrders", 25);
    private final double readRate = Settings.number("readRate", 200);
    private final int streams = Settings.integer("streams", 1);
    private final Duration warmup = Settings.duration("warmup", "30s");
    private final Duration duration = Settings.duration("duration", "3m");
    private final int skus = Settings.integer("skus", 10_000);
    private final long stockPerSku = (long) Settings.number("stockPerSku", 1_000_000);
    private final long p99Limit = (long) Settings.number("p99", 50);
    private final String warehouse = Settings.text("warehouse", "PERF-" + runId);
    private final String ediWarehouse = Settings.text("ediWarehouse", "W1");
    private final List<String> catalogue = OrderBodies.catalogue(skus);

    private final Phases phases = new Phases(new Phases.Phase(WARM_UP, warmup), new Phases.Phase(MEASURED, duration));
    private final Outcomes restOrders = new Outcomes("POST /v1/orders", phases);
    private final Outcomes ediInterchanges = new Outcomes("POST /v1/edi/x12", phases);
    private final Outcomes reads = new Outcomes("GET /v1/orders/{id}", phases);
    private final OrderTraffic web = new OrderTraffic(runId, warehouse);
    private final RecentOrders recent = new RecentOrders(10_000);
    private final EventStreamTally webEvents = new EventStreamTally("perf-" + runId);
    private final EventStreamTally ediEvents = new EventStreamTally("edi-" + runId);
    private final AtomicLong interchangeNumber = new AtomicLong();
    private final AtomicLong ediOrdersAcknowledged = new AtomicLong();
    private final AtomicLong ediOrdersAcknowledgedMeasured = new AtomicLong();
    private final Verdicts verdicts = new Verdicts();
    private volatile String ediToken;

    @Override
    public void before() {
        Report.line("MixedChannelsSimulation: REST %.0f orders/s, EDI %.1f interchanges/s of %d POs (%.0f orders/s), %.0f reads/s, "
                        + "%d stream(s) per channel (%s), run %s, against %s", rate, ediRate, ediOrders, ediRate * ediOrders, readRate, streams,
                phases.describe(), runId, Settings.baseUrl());
        Setup setup = new Setup(Settings.baseUrl(), Settings.adminKey());
        web.token(setup.channelToken(webEvents.channel()));
        ediToken = setup.channelToken(ediEvents.channel());
        double orders = (rate + ediRate * ediOrders) * (warmup.toSeconds() * 0.55 + duration.toSeconds());
        long needed = (long) Math.ceil(orders * 3 * 2 / skus);
        Stocking.stockCatalogue(setup, warehouse, catalogue, stockPerSku, needed);
        if (!ediWarehouse.equals(warehouse)) {
            Stocking.stockCatalogue(setup, ediWarehouse, catalogue, stockPerSku, needed);
        }
    }

    {
        ScenarioBuilder webShop = scenario("web shop")
                .exec(web.post(restOrders, () -> OrderBodies.randomLines(catalogue, 1, 5), List.of(201), this::remember));
        ScenarioBuilder ediGateway = scenario("EDI gateway").exec(exec(this::interchange).exec(ediInterchanges.send(http(ediInterchanges::requestName)
                .post("/v1/edi/x12")
                .header("Authorization", session -> "Bearer " + ediToken)
                .header("Content-Type", "application/edi-x12")
                .header("Accept", "application/edi-x12")
                .body(StringBody(session -> session.getString("edi.body")))
                .check(status().is(200), regex("AK9\\*A\\*").exists().name("997 accepts the interchange"))))
                .exec(this::acknowledged));
        ScenarioBuilder statusReads = scenario("status reads").exec(doIf(session -> !recent.isEmpty()).then(
                exec(session -> session.set("read.id", recent.any()))
                        .exec(reads.send(http(reads::requestName)
                                .get(session -> "/v1/orders/" + session.getString("read.id"))
                                .header("Authorization", session -> "Bearer " + web.token())
                                .check(status().is(200))))));

        verdicts.add("REST accepted p99 <= " + p99Limit + " ms (measured)", () -> {
            long p99 = restOrders.phase(MEASURED).percentile(99);
            return Verdicts.Judgement.of(p99 >= 0 && p99 <= p99Limit, "p99 %d ms over %,d orders", p99, restOrders.phase(MEASURED).accepted());
        });
        verdicts.add("the web shop's stream told about every order it accepted", () -> streamVerdict(webEvents,
                restOrders.phase(WARM_UP).accepted() + restOrders.phase(MEASURED).accepted()));
        verdicts.add("the EDI channel's stream told about every purchase order acknowledged", () -> streamVerdict(ediEvents,
                ediOrdersAcknowledged.get()));

        Duration load = STREAMS_FIRST.plus(warmup).plus(duration);
        List<PopulationBuilder> populations = new ArrayList<>();
        populations.add(webShop.injectOpen(nothingFor(STREAMS_FIRST), rampUsersPerSec(Math.max(1, rate / 10)).to(rate).during(warmup),
                constantUsersPerSec(rate).during(duration)));
        populations.add(ediGateway.injectOpen(nothingFor(STREAMS_FIRST), constantUsersPerSec(ediRate).during(warmup.plus(duration))));
        populations.add(statusReads.injectOpen(nothingFor(STREAMS_FIRST), rampUsersPerSec(Math.max(1, readRate / 10)).to(readRate).during(warmup),
                constantUsersPerSec(readRate).during(duration)));
        // both channels' streams in one population, so the verdicts start once every stream has closed
        List<Listener> listeners = List.of(new Listener(webEvents, web::token, this::webCaughtUp),
                new Listener(ediEvents, () -> ediToken, this::ediCaughtUp));
        populations.add(streams(listeners, load).injectOpen(atOnceUsers(streams * listeners.size())));

        setUp(populations.get(0), populations.get(1), populations.get(2),
                populations.get(3).andThen(verdicts.scenario().injectOpen(atOnceUsers(1))))
                .protocols(Protocol.http())
                .assertions(verdicts.withAssertions(
                        details(restOrders.nameIn(MEASURED)).failedRequests().count().is(0L),
                        details(ediInterchanges.nameIn(MEASURED)).failedRequests().count().is(0L),
                        details(reads.nameIn(MEASURED)).failedRequests().count().is(0L),
                        details("GET /v1/events").failedRequests().count().is(0L),
                        details(restOrders.nameIn(MEASURED)).responseTime().percentile(99.0).lte((int) p99Limit)));
    }

    /** One channel's live stream: what it received, whose token opens it, and when it has seen everything. */
    private record Listener(EventStreamTally tally, java.util.function.Supplier<String> token, java.util.function.BooleanSupplier caughtUp) {
    }

    /**
     * Live streams held open for the whole run, their events read every second; virtual user n
     * listens to channel n modulo the number of channels.
     */
    private ScenarioBuilder streams(List<Listener> listeners, Duration load) {
        AtomicLong users = new AtomicLong();
        java.util.function.Function<Session, Listener> listener = session -> listeners.get(session.getInt("listener"));
        ChainBuilder read = exec(sse.processUnmatchedMessages("events", (messages, session) -> {
            listener.apply(session).tally().take(messages);
            return session;
        }));
        return scenario("live event streams")
                .exec(session -> session.set("listener", (int) (users.getAndIncrement() % listeners.size())))
                .exec(sse("GET /v1/events", "events").get("/v1/events")
                        .header("Authorization", session -> "Bearer " + listener.apply(session).token().get())
                        .header("Accept", "text/event-stream"))
                .exec(during(load).on(pause(1).exec(read)))
                .exec(session -> session.set("linger.until", System.currentTimeMillis() + STREAMS_LINGER.toMillis()))
                .exec(asLongAs(session -> !listener.apply(session).caughtUp().getAsBoolean()
                                && System.currentTimeMillis() < session.getLong("linger.until"))
                        .on(pause(1).exec(read)))
                .exec(sse("close /v1/events", "events").close());
    }

    private boolean webCaughtUp() {
        return restOrders.inFlight() == 0
                && webEvents.orders() >= restOrders.phase(WARM_UP).accepted() + restOrders.phase(MEASURED).accepted();
    }

    private boolean ediCaughtUp() {
        return ediInterchanges.inFlight() == 0 && ediEvents.orders() >= ediOrdersAcknowledged.get();
    }

    private Session interchange(Session session) {
        long control = interchangeNumber.incrementAndGet();
        List<X12Interchanges.PurchaseOrder> orders = new ArrayList<>(ediOrders);
        for (int i = 1; i <= ediOrders; i++) {
            orders.add(new X12Interchanges.PurchaseOrder("PO-" + runId + "-" + control + "-" + i, "B" + (control % 500),
                    OrderBodies.randomLines(catalogue, 1, 5)));
        }
        return session.set("edi.body", X12Interchanges.interchange("PERF" + runId.toUpperCase(java.util.Locale.ROOT), control, orders));
    }

    private Session acknowledged(Session session) {
        if (Outcomes.lastStatus(session) == 200 && !session.isFailed()) {
            ediOrdersAcknowledged.addAndGet(ediOrders);
            if (MEASURED.equals(Outcomes.lastPhase(session))) {
                ediOrdersAcknowledgedMeasured.addAndGet(ediOrders);
            }
        }
        return session;
    }

    private void remember(OrderTraffic.Answer answer) {
        if (answer.status() != 201) {
            return;
        }
        Matcher id = ORDER_ID.matcher(answer.body());
        if (id.find()) {
            recent.add(id.group(1));
        }
    }

    private static Verdicts.Judgement streamVerdict(EventStreamTally tally, long accepted) {
        return Verdicts.Judgement.of(tally.orders() >= accepted && accepted > 0, "%,d of %,d orders; %s", tally.orders(), accepted,
                tally.describe());
    }

    @Override
    public void after() {
        Timeline.print(restOrders, 10);
        for (Outcomes outcomes : List.of(restOrders, ediInterchanges, reads)) {
            Report.printPhase(outcomes, WARM_UP);
            Report.printPhase(outcomes, MEASURED);
        }
        Report.line("web shop stream: %s", webEvents.describe());
        Report.line("EDI stream: %s", ediEvents.describe());
        double measuredSeconds = duration.toMillis() / 1000.0;
        double ediPerSecond = ediOrdersAcknowledgedMeasured.get() / measuredSeconds;
        Report.line("orders accepted in the measured phase: REST %.1f/s + EDI %.1f/s = %.1f/s", restOrders.acceptedPerSecond(MEASURED),
                ediPerSecond, restOrders.acceptedPerSecond(MEASURED) + ediPerSecond);

        Report report = new Report();
        report.put("simulation", "MixedChannelsSimulation");
        report.put("offered_rate", rate + ediRate * ediOrders);
        report.put("planned", Math.round(rate * duration.toMillis() / 1000.0));
        report.put("planned_rate", rate);
        report.put("measured_seconds", duration.toSeconds());
        report.put("warehouse", warehouse);
        report.put("channel", webEvents.channel());
        report.put("edi_channel", ediEvents.channel());
        report.putPhase("", restOrders, MEASURED, true);
        report.putAcceptedAll(restOrders, ediOrdersAcknowledged.get());
        report.put("accepted_all." + webEvents.channel(), restOrders.phase(WARM_UP).accepted() + restOrders.phase(MEASURED).accepted());
        report.put("accepted_all." + ediEvents.channel(), ediOrdersAcknowledged.get());
        report.put("accepted_per_s", String.format(java.util.Locale.ROOT, "%.1f", restOrders.acceptedPerSecond(MEASURED) + ediPerSecond));
        report.put("rest_accepted_per_s", String.format(java.util.Locale.ROOT, "%.1f", restOrders.acceptedPerSecond(MEASURED)));
        report.put("edi_orders_per_s", String.format(java.util.Locale.ROOT, "%.1f", ediPerSecond));
        long sent = 0;
        long errors = 0;
        for (Outcomes outcomes : List.of(restOrders, ediInterchanges, reads)) {
            sent += outcomes.phase(MEASURED).answers();
            errors += outcomes.phase(MEASURED).answers() - outcomes.phase(MEASURED).accepted();
        }
        report.put("all_requests_sent", sent);
        report.put("errors", errors);
        report.put("error_rate", String.format(java.util.Locale.ROOT, "%.5f", sent == 0 ? 0.0 : (double) errors / sent));
        report.putPhase("edi.", ediInterchanges, MEASURED, true);
        report.putPhase("read.", reads, MEASURED, true);
        report.put("stream.web", webEvents.describe());
        report.put("stream.edi", ediEvents.describe());
        verdicts.report(report);
        report.write();
    }
}
