package dev.orderflow.perf;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.rampUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * A long run at a moderate rate (default 30 minutes at 200 orders/s; run on demand, never in CI),
 * to show with numbers that memory and latency stay flat: per interval, the accepted orders and
 * their latency, and from {@code /actuator/prometheus} (scraped every {@code scrapeEvery}) the heap
 * used, the old generation as the last collection left it ("heap after GC"), non-heap, direct
 * buffers, threads, the longest recent GC pause, and the process's resident set size
 * ({@code -DservicePid}, read from {@code /proc}).
 *
 * <p>The verdicts compare the last quarter of the measured phase with the first: the old
 * generation after collection and the RSS must not grow by more than {@code -DmaxMemoryGrowth=0.2} (20%), and the
 * p99 not by more than {@code -DmaxP99Growth=1.5} times (and 5 ms); and no request of the measured
 * phase may fail.
 *
 * <p>{@code -Drate=200 -Dduration=30m -Dwarmup=60s -Dinterval=60s -DscrapeEvery=10s -DservicePid=...
 * -Dskus=10000 -Dwarehouse=... -Dseed=api|none}
 */
public class SoakSimulation extends Simulation {

    static final String WARM_UP = "warm-up";
    static final String MEASURED = "measured";
    private static final double MB = 1024 * 1024;

    private final String runId = Settings.runId();
    private final double rate = Settings.number("rate", 200);
    private final Duration warmup = Settings.duration("warmup", "60s");
    private final Duration duration = Settings.duration("duration", "30m");
    private final Duration interval = Settings.duration("interval", "60s");
    private final Duration scrapeEvery = Settings.duration("scrapeEvery", "10s");
    private final double maxMemoryGrowth = Settings.number("maxMemoryGrowth", 0.2);
    private final double maxP99Growth = Settings.number("maxP99Growth", 1.5);
    private final int skus = Settings.integer("skus", 10_000);
    private final long stockPerSku = (long) Settings.number("stockPerSku", 1_000_000);
    private final String warehouse = Settings.text("warehouse", "PERF-" + runId);
    private final List<String> catalogue = OrderBodies.catalogue(skus);

    private final Phases phases = new Phases(new Phases.Phase(WARM_UP, warmup), new Phases.Phase(MEASURED, duration));
    private final Outcomes orders = new Outcomes("POST /v1/orders", phases);
    private final OrderTraffic channel = new OrderTraffic(runId, warehouse);
    private final ServiceMetrics metrics = new ServiceMetrics(Settings.baseUrl(), Settings.servicePid());
    private final Verdicts verdicts = new Verdicts();

    @Override
    public void before() {
        Report.line("SoakSimulation: %.0f orders/s (%s), figures every %s, metrics every %s%s, run %s, against %s", rate, phases.describe(),
                Settings.show(interval), Settings.show(scrapeEvery),
                Settings.servicePid() > 0 ? ", RSS of process " + Settings.servicePid() : ", no RSS (-DservicePid not given)", runId,
                Settings.baseUrl());
        Setup setup = new Setup(Settings.baseUrl(), Settings.adminKey());
        channel.token(setup.channelToken("perf-" + runId));
        double offered = rate * (warmup.toSeconds() * 0.55 + duration.toSeconds());
        Stocking.stockCatalogue(setup, warehouse, catalogue, stockPerSku, (long) Math.ceil(offered * 3 * 2 / skus));
        metrics.start(scrapeEvery);
    }

    {
        ScenarioBuilder soak = scenario("soak")
                .exec(channel.post(orders, () -> OrderBodies.randomLines(catalogue, 1, 5), List.of(201), null));

        verdicts.add("memory flat (last quarter vs first, at most +" + Math.round(maxMemoryGrowth * 100) + "%)", this::memoryFlat);
        verdicts.add("latency flat (last quarter's p99 at most x" + maxP99Growth + " the first's)", this::latencyFlat);
        verdicts.add("every order accepted (measured)", () -> {
            Tally measured = orders.phase(MEASURED);
            return Verdicts.Judgement.of(measured.answers() == measured.accepted(), "%,d of %,d [%s]", measured.accepted(), measured.answers(),
                    measured.statuses());
        });

        setUp(soak.injectOpen(
                        rampUsersPerSec(Math.max(1, rate / 10)).to(rate).during(warmup),
                        constantUsersPerSec(rate).during(duration))
                .andThen(verdicts.scenario().injectOpen(atOnceUsers(1))))
                .protocols(Protocol.http())
                .assertions(verdicts.withAssertions(details(orders.nameIn(MEASURED)).failedRequests().count().is(0L)));
    }

    /** Seconds of the measured phase, counted from the first request of the run. */
    private long measuredStart() {
        return phases.offsetOf(MEASURED) / 1000;
    }

    private Tally quarter(int which) {
        long quarter = duration.toSeconds() / 4;
        long from = measuredStart() + which * quarter;
        return Tally.sum(new ArrayList<>(orders.seconds().subMap(from, true, from + quarter, false).values()), 2);
    }

    private List<ServiceMetrics.Sample> samplesOfQuarter(int which) {
        long quarter = duration.toMillis() / 4;
        long from = phases.started() + phases.offsetOf(MEASURED) + which * quarter;
        return metrics.samples().stream().filter(sample -> sample.at() >= from && sample.at() < from + quarter).toList();
    }

    private static double median(List<ServiceMetrics.Sample> samples, ToDoubleFunction<ServiceMetrics.Sample> figure) {
        double[] values = samples.stream().mapToDouble(figure).filter(value -> value >= 0).sorted().toArray();
        return values.length == 0 ? -1 : values[values.length / 2];
    }

    private Verdicts.Judgement memoryFlat() {
        List<ServiceMetrics.Sample> first = samplesOfQuarter(0);
        List<ServiceMetrics.Sample> last = samplesOfQuarter(3);
        double heapFirst = median(first, ServiceMetrics.Sample::heapAfterGc);
        double heapLast = median(last, ServiceMetrics.Sample::heapAfterGc);
        double rssFirst = median(first, ServiceMetrics.Sample::rss);
        double rssLast = median(last, ServiceMetrics.Sample::rss);
        boolean heapFlat = heapFirst > 0 && heapLast <= heapFirst * (1 + maxMemoryGrowth);
        boolean rssFlat = rssFirst < 0 || rssLast <= rssFirst * (1 + maxMemoryGrowth);
        return Verdicts.Judgement.of(heapFlat && rssFlat, "old generation after GC %.0f -> %.0f MB (%+.1f%%), RSS %s (medians of the first and last quarter)",
                heapFirst / MB, heapLast / MB, growth(heapFirst, heapLast),
                rssFirst < 0 ? "not read" : String.format(Locale.ROOT, "%.0f -> %.0f MB (%+.1f%%)", rssFirst / MB, rssLast / MB, growth(rssFirst, rssLast)));
    }

    private static double growth(double first, double last) {
        return first <= 0 ? 0 : (last - first) / first * 100;
    }

    private Verdicts.Judgement latencyFlat() {
        Tally first = quarter(0);
        Tally last = quarter(3);
        long limit = Math.max(Math.round(first.percentile(99) * maxP99Growth), first.percentile(99) + 5);
        return Verdicts.Judgement.of(first.accepted() > 0 && last.accepted() > 0 && last.percentile(99) <= limit,
                "p50 %d -> %d ms, p99 %d -> %d ms (limit %d ms), max %d -> %d ms", first.percentile(50), last.percentile(50),
                first.percentile(99), last.percentile(99), limit, first.maxLatency(), last.maxLatency());
    }

    /** One line per interval: the orders sent in it and the last metrics sample taken in it. */
    private void printIntervals() {
        Report.line("every %s (by time sent; latency in ms; memory in MB from the last scrape of the interval: heap used, old generation "
                + "after the last GC, non-heap, direct buffers, RSS; the longest GC pause Micrometer saw lately):", Settings.show(interval));
        Report.line("  %7s %-9s %9s %8s %6s %6s %7s %7s %8s %9s %8s %7s %8s %8s %5s %9s", "from", "phase", "accepted", "per s", "p50", "p99", "max",
                "errors", "heap", "old afterGC", "nonheap", "direct", "RSS", "threads", "cpu", "GC pause");
        long step = interval.toSeconds();
        long last = orders.seconds().isEmpty() ? 0 : orders.seconds().lastKey();
        for (long from = 0; from <= last; from += step) {
            Tally tally = Tally.sum(new ArrayList<>(orders.seconds().subMap(from, true, from + step, false).values()), 2);
            long start = phases.started() + from * 1000;
            ServiceMetrics.Sample sample = metrics.samples().stream()
                    .filter(candidate -> candidate.at() >= start && candidate.at() < start + step * 1000)
                    .reduce((a, b) -> b)
                    .orElse(null);
            Report.line("  %5d s %-9s %,9d %8.1f %6d %6d %7d %7d %s", from, phases.at(start), tally.accepted(),
                    tally.accepted() / (double) step, tally.percentile(50), tally.percentile(99), tally.maxLatency(),
                    tally.answers() - tally.accepted(), sample == null ? "(no scrape)" : String.format(Locale.ROOT,
                            "%8.0f %11.0f %8.0f %7.0f %8s %8.0f %4.0f%% %6.0f ms", sample.heapUsed() / MB, sample.heapAfterGc() / MB,
                            sample.nonHeap() / MB, sample.direct() / MB, sample.rss() < 0 ? "-" : String.format(Locale.ROOT, "%.0f", sample.rss() / MB),
                            sample.threads(), sample.processCpu() * 100, sample.gcPauseMax() * 1000));
        }
    }

    @Override
    public void after() {
        metrics.stop();
        printIntervals();
        Report.printPhase(orders, WARM_UP);
        Report.printPhase(orders, MEASURED);
        Report report = new Report();
        report.put("simulation", "SoakSimulation");
        report.put("offered_rate", rate);
        report.put("planned", Math.round(rate * duration.toMillis() / 1000.0));
        report.put("measured_seconds", duration.toSeconds());
        report.put("warehouse", warehouse);
        report.put("channel", "perf-" + runId);
        report.putPhase("", orders, MEASURED, true);
        report.putAcceptedAll(orders, 0);
        report.put("accepted_all.perf-" + runId, report.value("accepted_all"));
        List<ServiceMetrics.Sample> first = samplesOfQuarter(0);
        List<ServiceMetrics.Sample> lastQuarter = samplesOfQuarter(3);
        report.put("old_gen_after_gc_mb.first_quarter", String.format(Locale.ROOT, "%.0f", median(first, ServiceMetrics.Sample::heapAfterGc) / MB));
        report.put("old_gen_after_gc_mb.last_quarter", String.format(Locale.ROOT, "%.0f", median(lastQuarter, ServiceMetrics.Sample::heapAfterGc) / MB));
        report.put("rss_mb.first_quarter", String.format(Locale.ROOT, "%.0f", median(first, ServiceMetrics.Sample::rss) / MB));
        report.put("rss_mb.last_quarter", String.format(Locale.ROOT, "%.0f", median(lastQuarter, ServiceMetrics.Sample::rss) / MB));
        report.put("p99_ms.first_quarter", quarter(0).percentile(99));
        report.put("p99_ms.last_quarter", quarter(3).percentile(99));
        verdicts.report(report);
        report.write();
    }
}
