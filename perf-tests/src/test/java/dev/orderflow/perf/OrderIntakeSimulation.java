package dev.orderflow.perf;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.List;

/**
 * Order intake at a target arrival rate (open model): REST orders of 1 to 5 lines over 10,000 SKUs,
 * each with its own {@code Idempotency-Key}. A warm-up ramps from a tenth of the rate to the rate
 * (the JIT, the connection pools and the warehouse's first load into Redis), then the rate holds
 * for the measured phase; only the measured phase counts.
 *
 * <p>Every SKU is stocked with {@code stockPerSku} units (1,000,000: no order is ever backordered at
 * any rate this machine reaches; the run prints how many units it expects to use). Through the API
 * unless {@code -Dseed=none} says the warehouse is already stocked ({@code bench.sh} seeds it with
 * SQL, which takes a second instead of two minutes).
 *
 * <p>{@code -Drate=500 -Dduration=3m -Dwarmup=30s -Dskus=10000 -DstockPerSku=1000000 -Dp99=50
 * -Dwarehouse=... -Dseed=api|none -DbaseUrl=... -DadminKey=... -DsummaryFile=...}
 */
public class OrderIntakeSimulation extends Simulation {

    static final String WARM_UP = "warm-up";
    static final String MEASURED = "measured";

    private final String runId = Settings.runId();
    private final double rate = Settings.number("rate", 500);
    private final Duration warmup = Settings.duration("warmup", "30s");
    private final Duration duration = Settings.duration("duration", "3m");
    private final int skus = Settings.integer("skus", 10_000);
    private final long stockPerSku = (long) Settings.number("stockPerSku", 1_000_000);
    private final long p99Limit = (long) Settings.number("p99", 50);
    private final double rateTolerance = Settings.number("rateTolerance", 0.03);
    private final String warehouse = Settings.text("warehouse", "PERF-" + runId);
    private final List<String> catalogue = OrderBodies.catalogue(skus);

    private final Phases phases = new Phases(new Phases.Phase(WARM_UP, warmup), new Phases.Phase(MEASURED, duration));
    private final Outcomes orders = new Outcomes("POST /v1/orders", phases);
    private final OrderTraffic channel = new OrderTraffic(runId, warehouse);
    private final Verdicts verdicts = new Verdicts();

    @Override
    public void before() {
        Report.line("OrderIntakeSimulation: %.0f orders/s (%s), %,d SKUs in %s, run %s, against %s", rate, phases.describe(), skus,
                warehouse, runId, Settings.baseUrl());
        Setup setup = new Setup(Settings.baseUrl(), Settings.adminKey());
        channel.token(setup.channelToken("perf-" + runId));
        Stocking.stockCatalogue(setup, warehouse, catalogue, stockPerSku, expectedUnitsPerSku());
    }

    /** Lines 1-5 (mean 3) of 1-3 units (mean 2), spread over the catalogue. */
    private long expectedUnitsPerSku() {
        double orders = rate * (warmup.toSeconds() * 0.55 + duration.toSeconds());
        return (long) Math.ceil(orders * 3 * 2 / skus);
    }

    {
        ScenarioBuilder intake = scenario("order intake")
                .exec(channel.post(orders, () -> OrderBodies.randomLines(catalogue, 1, 5), List.of(201), null));

        verdicts.add("accepted p99 <= " + p99Limit + " ms (measured)", () -> {
            long p99 = orders.phase(MEASURED).percentile(99);
            return Verdicts.Judgement.of(p99 >= 0 && p99 <= p99Limit, "p99 %d ms over %,d accepted orders", p99,
                    orders.phase(MEASURED).accepted());
        });
        verdicts.add("sustained " + (long) rate + " orders/s with no error (measured)", () -> {
            Tally measured = orders.phase(MEASURED);
            double perSecond = orders.acceptedPerSecond(MEASURED);
            long failed = measured.answers() - measured.accepted();
            return Verdicts.Judgement.of(failed == 0 && perSecond >= rate * (1 - rateTolerance),
                    "%.1f accepted/s of %.0f offered, %,d not accepted [%s]", perSecond, rate, failed, measured.statuses());
        });

        setUp(intake.injectOpen(
                        rampUsersPerSec(Math.max(1, rate / 10)).to(rate).during(warmup),
                        constantUsersPerSec(rate).during(duration))
                .andThen(verdicts.scenario().injectOpen(atOnceUsers(1))))
                .protocols(Protocol.http())
                .assertions(verdicts.withAssertions(
                        details(orders.nameIn(MEASURED)).failedRequests().count().is(0L),
                        details(orders.nameIn(MEASURED)).responseTime().percentile(99.0).lte((int) p99Limit)));
    }

    @Override
    public void after() {
        Timeline.print(orders, 10);
        Report.printPhase(orders, WARM_UP);
        Report.printPhase(orders, MEASURED);
        Report report = new Report();
        report.put("simulation", "OrderIntakeSimulation");
        report.put("offered_rate", rate);
        report.put("planned", Math.round(rate * duration.toMillis() / 1000.0));
        report.put("measured_seconds", duration.toSeconds());
        report.put("warehouse", warehouse);
        report.put("channel", "perf-" + runId);
        report.putPhase("", orders, MEASURED, true);
        report.putAcceptedAll(orders, 0);
        report.put("accepted_all.perf-" + runId, report.value("accepted_all"));
        verdicts.report(report);
        report.write();
    }
}
