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
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
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
 * so that is {@code reserved}) must equal the sum of the {@code reserved} units of every 201 answer,
 * plus those of orders whose request got no answer (a timeout) but which the service stored all the
 * same, looked up by external reference. A 503 leaves nothing, so its units count nowhere.
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
    /** Orders that got no answer (timeout): stored or not, the service decided; the verdict looks each one up. */
    private final Queue<String> unanswered = new ConcurrentLinkedQueue<>();
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

    /** Adds up what a 201 says was reserved; keeps the orders that got no answer, to look them up afterwards. */
    private void tally(OrderTraffic.Answer answer) {
        if (answer.status() == 201) {
            tally(read(answer.body()), reservedByAnswers, true);
        } else if (answer.status() == Tally.NO_ANSWER) {
            unanswered.add(answer.externalRef());
        }
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Adds an order's reserved units per hot SKU to {@code sums}; with {@code count}, also how fully it was served. */
    private void tally(JsonNode order, Map<String, LongAdder> sums, boolean count) {
        if (!count) {
            for (JsonNode line : order.path("lines")) {
                LongAdder sum = sums.get(line.path("sku").asText());
                if (sum != null) {
                    sum.add(line.path("reserved").asLong());
                }
            }
            return;
        }
        ordersByStatus.computeIfAbsent(order.path("status").asText(), status -> new LongAdder()).increment();
        long wanted = 0;
        long reserved = 0;
        boolean isHot = false;
        for (JsonNode line : order.path("lines")) {
            LongAdder sum = sums.get(line.path("sku").asText());
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

    /**
     * The units a request that got no answer reserved, if the service stored its order after all
     * (a client that gives up does not stop the server), looked up by external reference.
     */
    private Map<String, LongAdder> unansweredButStored() {
        Map<String, LongAdder> sums = new ConcurrentHashMap<>();
        hot.forEach(sku -> sums.put(sku, new LongAdder()));
        Setup setup = new Setup(Settings.baseUrl(), Settings.adminKey());
        int stored = 0;
        for (String externalRef : unanswered) {
            // as the channel: its query uses the (channel, external_ref) index, whatever the history
            JsonNode items = read(setup.get(channel.token(), "/v1/orders?externalRef=" + externalRef)).path("items");
            for (JsonNode order : items) {
                stored++;
                tally(order, sums, false);
            }
        }
        Report.line("  %,d orders got no answer; %,d of them were stored all the same (looked up by external reference)", unanswered.size(), stored);
        return sums;
    }

    /**
     * The service's view of each hot SKU against the answers: every unit committed was promised in a
     * 201 (or belongs to an order whose answer the client never got, looked up), none beyond stock.
     */
    private Verdicts.Judgement oversell(String availability) {
        Map<String, Setup.Level> levels = Setup.Level.parse(availability);
        Map<String, LongAdder> late = unansweredButStored();
        List<String> wrong = new ArrayList<>();
        long committedTotal = 0;
        long answeredTotal = 0;
        Report.line("  %-20s %10s %10s %10s %10s %14s %12s", "hot SKU", "stock", "on hand", "reserved", "available", "201s reserved",
                "unanswered");
        for (String sku : hot) {
            Setup.Level level = levels.get(sku);
            long answered = reservedByAnswers.get(sku).sum() + late.get(sku).sum();
            answeredTotal += answered;
            if (level == null) {
                wrong.add(sku + " missing");
                continue;
            }
            long committed = hotStock - level.onHand() + level.reserved();
            committedTotal += committed;
            Report.line("  %-20s %,10d %,10d %,10d %,10d %,14d %,12d", sku, hotStock, level.onHand(), level.reserved(), level.available(),
                    reservedByAnswers.get(sku).sum(), late.get(sku).sum());
            if (level.reserved() > level.onHand() || level.available() < 0) {
                wrong.add(sku + " reserved " + level.reserved() + " > on hand " + level.onHand());
            }
            if (committed != answered) {
                wrong.add(sku + " committed " + committed + " != " + answered + " reserved in 201 answers and unanswered stored orders");
            }
            if (committed > hotStock) {
                wrong.add(sku + " committed " + committed + " > stock " + hotStock);
            }
        }
        return Verdicts.Judgement.of(wrong.isEmpty(), "%s; %,d units committed on %d SKUs of %,d in stock, %,d reserved in 201 answers "
                        + "(and in orders stored without an answer)",
                wrong.isEmpty() ? "on hand >= reserved and reserved == the answered units on every hot SKU" : String.join("; ", wrong),
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
