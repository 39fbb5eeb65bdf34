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
import java.util.Map;

/**
 * Overload and recovery: a warm-up, then {@code rate} (a rate the service sustains), then
 * {@code factor} times that (2x), then {@code rate} again. A service that sheds load answers the
 * excess quickly with 429 or 503 and {@code Retry-After}, and keeps the latency of what it accepts
 * bounded; one that queues without bound shows it here as growing latency, timeouts ("no answer")
 * and a slow recovery. The simulation reports whichever happened.
 *
 * <p>Gatling fails a request answered with anything but 201, 429 or 503, or a 429/503 without
 * {@code Retry-After}, or no answer within 30 s. The verdicts add what only the accepted requests
 * can say: their p99 during the overload and after it ({@code -DoverloadP99=250}), and how many
 * seconds after the overload stops the p99 of accepted requests (per second of sending) is back to
 * normal and stays there for 5 s ({@code -DrecoveryLimit=10s}). "Normal" is the steady phase's p99
 * times {@code -DnormalFactor=1.5}, and at least 5 ms above it, but never above {@code overloadP99}.
 *
 * <p>{@code -Drate=400 -Dfactor=2 -Dwarmup=30s -Dsteady=60s -Doverload=60s -Drecovery=60s -Dskus=10000
 * -Dwarehouse=... -Dseed=api|none}. Pick {@code rate} with some headroom: at exactly the service's
 * ceiling nothing left over can drain a backlog, and no service recovers.
 */
public class OverloadSimulation extends Simulation {

    static final String WARM_UP = "warm-up";
    static final String STEADY = "steady";
    static final String OVERLOAD = "overload";
    static final String RECOVERY = "recovery";

    private final String runId = Settings.runId();
    private final double rate = Settings.number("rate", 400);
    private final double factor = Settings.number("factor", 2);
    private final Duration warmup = Settings.duration("warmup", "30s");
    private final Duration steady = Settings.duration("steady", "60s");
    private final Duration overload = Settings.duration("overload", "60s");
    private final Duration recovery = Settings.duration("recovery", "60s");
    private final long overloadP99Limit = (long) Settings.number("overloadP99", 250);
    private final Duration recoveryLimit = Settings.duration("recoveryLimit", "10s");
    private final double normalFactor = Settings.number("normalFactor", 1.5);
    private final int skus = Settings.integer("skus", 10_000);
    private final long stockPerSku = (long) Settings.number("stockPerSku", 1_000_000);
    private final String warehouse = Settings.text("warehouse", "PERF-" + runId);
    private final List<String> catalogue = OrderBodies.catalogue(skus);

    private final Phases phases = new Phases(new Phases.Phase(WARM_UP, warmup), new Phases.Phase(STEADY, steady),
            new Phases.Phase(OVERLOAD, overload), new Phases.Phase(RECOVERY, recovery));
    private final Outcomes orders = new Outcomes("POST /v1/orders", phases);
    private final OrderTraffic channel = new OrderTraffic(runId, warehouse);
    private final Verdicts verdicts = new Verdicts();

    @Override
    public void before() {
        Report.line("OverloadSimulation: %.0f orders/s, then %.0f (x%.1f), then %.0f again (%s), run %s, against %s", rate, rate * factor,
                factor, rate, phases.describe(), runId, Settings.baseUrl());
        Setup setup = new Setup(Settings.baseUrl(), Settings.adminKey());
        channel.token(setup.channelToken("perf-" + runId));
        double offered = rate * (warmup.toSeconds() * 0.55 + steady.toSeconds() + recovery.toSeconds()) + rate * factor * overload.toSeconds();
        Stocking.stockCatalogue(setup, warehouse, catalogue, stockPerSku, (long) Math.ceil(offered * 3 * 2 / skus));
    }

    {
        ScenarioBuilder orderRush = scenario("overload and recovery")
                .exec(channel.post(orders, () -> OrderBodies.randomLines(catalogue, 1, 5), List.of(201, 429, 503), null));

        verdicts.add("no 5xx but 503, every 429/503 with Retry-After, every request answered", this::onlyShedding);
        verdicts.add("accepted p99 <= " + overloadP99Limit + " ms during and after the overload", () -> {
            long during = orders.phase(OVERLOAD).percentile(99);
            long after = orders.phase(RECOVERY).percentile(99);
            return Verdicts.Judgement.of(during >= 0 && during <= overloadP99Limit && after >= 0 && after <= overloadP99Limit,
                    "overload p99 %d ms over %,d accepted (%,d shed), recovery p99 %d ms over %,d accepted (%,d shed)", during,
                    orders.phase(OVERLOAD).accepted(), orders.phase(OVERLOAD).shed(), after, orders.phase(RECOVERY).accepted(),
                    orders.phase(RECOVERY).shed());
        });
        verdicts.add("p99 back to normal within " + Settings.show(recoveryLimit) + " after the overload", this::recovered);

        setUp(orderRush.injectOpen(
                        rampUsersPerSec(Math.max(1, rate / 10)).to(rate).during(warmup),
                        constantUsersPerSec(rate).during(steady),
                        constantUsersPerSec(rate * factor).during(overload),
                        constantUsersPerSec(rate).during(recovery))
                .andThen(verdicts.scenario().injectOpen(atOnceUsers(1))))
                .protocols(Protocol.http())
                .assertions(verdicts.withAssertions(
                        details(orders.nameIn(STEADY)).failedRequests().count().is(0L),
                        details(orders.nameIn(OVERLOAD)).failedRequests().count().is(0L),
                        details(orders.nameIn(RECOVERY)).failedRequests().count().is(0L)));
    }

    private Verdicts.Judgement onlyShedding() {
        long otherServerErrors = 0;
        long unanswered = 0;
        long otherRefusals = 0;
        long withoutRetryAfter = 0;
        for (String phase : List.of(WARM_UP, STEADY, OVERLOAD, RECOVERY)) {
            Tally tally = orders.phase(phase);
            otherServerErrors += tally.serverErrorsOtherThan503();
            unanswered += tally.count(Tally.NO_ANSWER);
            otherRefusals += tally.unexpected() - tally.serverErrorsOtherThan503() - tally.count(Tally.NO_ANSWER);
            withoutRetryAfter += tally.shedWithoutRetryAfter();
        }
        return Verdicts.Judgement.of(otherServerErrors + unanswered + otherRefusals + withoutRetryAfter == 0,
                "5xx other than 503: %,d; no answer within 30 s: %,d; other 4xx: %,d; 429/503 without Retry-After: %,d",
                otherServerErrors, unanswered, otherRefusals, withoutRetryAfter);
    }

    /** The threshold a second's p99 must be back under: the steady phase's, with some slack. */
    private long normalP99() {
        return Recovery.normalP99(orders.phase(STEADY).percentile(99), normalFactor, overloadP99Limit);
    }

    private long secondsToRecover() {
        long overloadEnd = phases.offsetOf(RECOVERY) / 1000;
        return Recovery.secondsToRecover(orders.seconds(), overloadEnd, overloadEnd + recovery.toSeconds(), normalP99());
    }

    private long secondsShedding() {
        return Recovery.secondsShedding(orders.seconds(), phases.offsetOf(RECOVERY) / 1000);
    }

    private Verdicts.Judgement recovered() {
        long seconds = secondsToRecover();
        return Verdicts.Judgement.of(seconds >= 0 && seconds <= recoveryLimit.toSeconds(),
                "%s (normal: p99 <= %d ms, the steady phase's was %d ms); still shedding %d s after the overload",
                seconds < 0 ? "not back within the " + Settings.show(recovery) + " recovery phase" : "back " + seconds + " s after the overload",
                normalP99(), orders.phase(STEADY).percentile(99), secondsShedding());
    }

    /** Every second from 5 s before the overload's end to 30 s after it (or the end of the run). */
    private void printTransition() {
        long overloadEnd = phases.offsetOf(RECOVERY) / 1000;
        Report.line("per second around the end of the overload (second 0 = the first second back at %.0f/s; p99 of accepted, by time sent):", rate);
        Report.line("  %6s %9s %7s %7s %7s %8s", "second", "accepted", "p50", "p99", "shed", "errors");
        for (Map.Entry<Long, Tally> entry : orders.seconds().subMap(overloadEnd - 5, true, overloadEnd + 30, true).entrySet()) {
            Tally tally = entry.getValue();
            Report.line("  %6d %,9d %4d ms %4d ms %,7d %,8d", entry.getKey() - overloadEnd, tally.accepted(), tally.percentile(50),
                    tally.percentile(99), tally.shed(), tally.unexpected());
        }
    }

    @Override
    public void after() {
        Timeline.print(orders, 5);
        printTransition();
        for (String phase : List.of(WARM_UP, STEADY, OVERLOAD, RECOVERY)) {
            Report.printPhase(orders, phase);
        }
        Report report = new Report();
        report.put("simulation", "OverloadSimulation");
        report.put("offered_rate", rate);
        report.put("planned", Math.round(rate * steady.toMillis() / 1000.0));
        report.put("overload_rate", rate * factor);
        report.put("measured_seconds", steady.toSeconds());
        report.put("warehouse", warehouse);
        report.put("channel", "perf-" + runId);
        report.putPhase("", orders, STEADY, false);
        report.putAcceptedAll(orders, 0);
        report.put("accepted_all.perf-" + runId, report.value("accepted_all"));
        report.putPhase("overload.", orders, OVERLOAD, false);
        report.putPhase("recovery.", orders, RECOVERY, false);
        report.put("normal_p99_ms", normalP99());
        report.put("seconds_to_recover", secondsToRecover());
        report.put("seconds_shedding_after_overload", secondsShedding());
        verdicts.report(report);
        report.write();
    }
}
