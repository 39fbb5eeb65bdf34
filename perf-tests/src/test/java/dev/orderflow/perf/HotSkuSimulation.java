package dev.orderflow.perf;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;

/**
 * Contention: most orders (90%) want the same 10 SKUs, which have limited stock, so many orders
 * race for the last units and, once they are gone, are backordered. The other orders spread over
 * the 10,000-SKU catalogue as in {@link OrderIntakeSimulation}.
 *
 * <p>Backorders count as accepted orders: a 201 whose lines say what was reserved and what is
 * backordered. The run prints how many orders were fully reserved, partly, or not at all.
 *
 * <p>The oversell verdict, once the load is over: for each hot SKU, PostgreSQL's view through
 * {@code GET /v1/inventory/availability} must show {@code reserved <= onHand}, and the units the
 * service committed ({@code stock at start - onHand + reserved}: with the engine off nothing ships,
 * so that is {@code reserved}) must equal the sum of the {@code reserved} units of every 201 answer.
 * {@code bench.sh} also checks Redis's {@code available} against PostgreSQL.
 *
 * <p>{@code -Drate=500 -Dduration=3m -Dwarmup=30s -DhotSkus=10 -DhotShare=0.9 -DhotStock=(runs out about
 * half way) -Dskus=10000 -Dp99=50 -Dwarehouse=... -Dseed=api|none}
 */
public class HotSkuSimulation extends Simulation {

    static final String WARM_UP = "warm-up";
    static final String MEASURED = "measured";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String runId = Settings.runId();
    private final double rate = Settings.number("rate", 500);
    private final Duration warmup = Settings.duration("warmup", "30s");
    private final Duration duration = Settings.duration("duration", "3m");
    private final int hotCount = Settings.integer("hotSkus", 10);
    private final double hotShare = Settings.number("hotShare", 0.9);
    private final int skus = Settings.integer("skus", 10_000);
    private final long stockPerSku = (long) Settings.number("stockPerSku", 1_000_000);
    private final long p99Limit = (long) Settings.number("p99", 50);
    private final String warehouse = Settings.text("warehouse", "PERF-" + runId);
    private final List<String> catalogue = OrderBodies.catalogue(skus);
    private final List<String> hot = IntStream.rangeClosed(1, hotCount)
            .mapToObj(n -> String.format(Locale.ROOT, "HOT-%s-%02d", runId, n))
            .toList();
    /** Hot orders have 1-3 lines (mean 2) of 1-3 units (mean 2): about half the run's demand, by default. */
    private final long hotStock = (long) Settings.number("hotStock",
            Math.ceil(0.5 * rate * hotShare * 2 * 2 / hotCount * (warmup.toSeconds() * 0.55 + duration.toSeconds())));

    private final Phases phases = new Phases(new Phases.Phase(WARM_UP, warmup), new Phases.Phase(MEASURED, duration));
    private final Outcomes orders = new Outcomes("POST /v1/orders", phases);
    private final OrderTraffic channel = new OrderTraffic(runId, warehouse);
    private final Map<String, LongAdder> reservedByAnswers = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> ordersByStatus = new ConcurrentHashMap<>();
    private final LongAdder hotOrders = new LongAdder();
    private final LongAdder hotFull = new LongAdder();
    private final LongAdder hotPartial = new LongAdder();
    private final LongAdder hotNone = new LongAdder();
    private final Verdicts verdicts = new Verdicts();

    @Override
    public void before() {
        Report.line("HotSkuSimulation: %.0f orders/s (%s), %.0f%% on %d hot SKUs with %,d units each, the rest over %,d SKUs, run %s, against %s",
                rate, phases.describe(), hotShare * 100, hotCount, hotStock, skus, runId, Settings.baseUrl());
        Setup setup = new Setup(Settings.baseUrl(), Settings.adminKey());
        channel.token(setup.channelToken("perf-" + runId));
        Stocking.stockCatalogue(setup, warehouse, catalogue, stockPerSku,
                (long) Math.ceil(rate * (1 - hotShare) * (warmup.toSeconds() * 0.55 + duration.toSeconds()) * 3 * 2 / skus));
        hot.forEach(sku -> setup.stock(warehouse, sku, hotStock));
        hot.forEach(sku -> reservedByAnswers.put(sku, new LongAdder()));
    }

    {
        ScenarioBuilder contention = scenario("hot SKU contention")
                .exec(channel.post(orders, this::lines, List.of(201), this::tally));

        verdicts.addOnAnswer("no oversell of the hot SKUs", Setup.availabilityPath(warehouse, hot), Settings.adminKey(), this::oversell);
        verdicts.add("accepted p99 <= " + p99Limit + " ms (measured)", () -> {
            long p99 = orders.phase(MEASURED).percentile(99);
            return Verdicts.Judgement.of(p99 >= 0 && p99 <= p99Limit, "p99 %d ms over %,d accepted orders", p99,
                    orders.phase(MEASURED).accepted());
        });

        setUp(contention.injectOpen(
                        rampUsersPerSec(Math.max(1, rate / 10)).to(rate).during(warmup),
                        constantUsersPerSec(rate).during(duration))
                .andThen(verdicts.scenario().injectOpen(atOnceUsers(1))))
                .protocols(Protocol.http())
                .assertions(verdicts.withAssertions(details(orders.nameIn(MEASURED)).failedRequests().count().is(0L)));
    }

    private List<OrderBodies.Line> lines() {
        return ThreadLocalRandom.current().nextDouble() < hotShare
                ? OrderBodies.randomLines(hot, 1, 3)
                : OrderBodies.randomLines(catalogue, 1, 5);
    }

    /** Adds up what a 201 says was reserved, per hot SKU, and how fully each hot order was served. */
    private void tally(String answer) {
        JsonNode order;
        try {
            order = JSON.readTree(answer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ordersByStatus.computeIfAbsent(order.path("status").asText(), status -> new LongAdder()).increment();
        long wanted = 0;
        long reserved = 0;
        boolean isHot = false;
        for (JsonNode line : order.path("lines")) {
            LongAdder sum = reservedByAnswers.get(line.path("sku").asText());
            if (sum != null) {
                isHot = true;
                sum.add(line.path("reserved").asLong());
            }
            wanted += line.path("quantity").asLong();
            reserved += line.path("reserved").asLong();
        }
        if (isHot) {
            hotOrders.increment();
            (reserved == wanted ? hotFull : reserved == 0 ? hotNone : hotPartial).increment();
        }
    }

    /** The service's view of each hot SKU against the sum of the 201 answers: no unit given twice, none lost. */
    private Verdicts.Judgement oversell(String availability) {
        Map<String, Setup.Level> levels = Setup.Level.parse(availability);
        List<String> wrong = new ArrayList<>();
        long committedTotal = 0;
        long answeredTotal = 0;
        Report.line("  %-20s %10s %10s %10s %10s %14s", "hot SKU", "stock", "on hand", "reserved", "available", "201s reserved");
        for (String sku : hot) {
            Setup.Level level = levels.get(sku);
            long answered = reservedByAnswers.get(sku).sum();
            answeredTotal += answered;
            if (level == null) {
                wrong.add(sku + " missing");
                continue;
            }
            long committed = hotStock - level.onHand() + level.reserved();
            committedTotal += committed;
            Report.line("  %-20s %,10d %,10d %,10d %,10d %,14d", sku, hotStock, level.onHand(), level.reserved(), level.available(), answered);
            if (level.reserved() > level.onHand() || level.available() < 0) {
                wrong.add(sku + " reserved " + level.reserved() + " > on hand " + level.onHand());
            }
            if (committed != answered) {
                wrong.add(sku + " committed " + committed + " != " + answered + " reserved in 201 answers");
            }
            if (committed > hotStock) {
                wrong.add(sku + " committed " + committed + " > stock " + hotStock);
            }
        }
        return Verdicts.Judgement.of(wrong.isEmpty(), "%s; %,d units committed on %d SKUs of %,d in stock, %,d reserved in 201 answers",
                wrong.isEmpty() ? "on hand >= reserved and reserved == the 201s' units on every hot SKU" : String.join("; ", wrong),
                committedTotal, hot.size(), hotStock * hot.size(), answeredTotal);
    }

    @Override
    public void after() {
        Timeline.print(orders, 10);
        Report.printPhase(orders, WARM_UP);
        Report.printPhase(orders, MEASURED);
        Report.line("hot orders: %,d; fully reserved %,d, partly %,d, backordered entirely %,d; all orders by status: %s", hotOrders.sum(),
                hotFull.sum(), hotPartial.sum(), hotNone.sum(), ordersByStatus);
        Report report = new Report();
        report.put("simulation", "HotSkuSimulation");
        report.put("offered_rate", rate);
        report.put("planned", Math.round(rate * duration.toMillis() / 1000.0));
        report.put("measured_seconds", duration.toSeconds());
        report.put("warehouse", warehouse);
        report.put("channel", "perf-" + runId);
        report.putPhase("", orders, MEASURED, true);
        report.putAcceptedAll(orders, 0);
        report.put("accepted_all.perf-" + runId, report.value("accepted_all"));
        report.put("hot_skus", String.join(",", hot));
        report.put("hot_stock_per_sku", hotStock);
        report.put("hot_orders", hotOrders.sum());
        report.put("hot_fully_reserved", hotFull.sum());
        report.put("hot_partly_reserved", hotPartial.sum());
        report.put("hot_backordered", hotNone.sum());
        for (String sku : hot) {
            report.put("hot_reserved_in_201s." + sku, reservedByAnswers.get(sku).sum());
        }
        verdicts.report(report);
        report.write();
    }
}
