package dev.orderflow.perf;

import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The claims a run makes about itself that Gatling's assertions cannot express (latency of accepted
 * requests only, recovery after an overload, no oversell, every event streamed), judged once the
 * load is over. Each is sent to Gatling as a request named {@code verdict: ...} whose check is the
 * judgement, so a failed verdict fails the run (through the {@code failedRequests} assertion) and
 * shows in its HTML report, which an exception in {@code after()} would prevent Gatling from writing.
 */
final class Verdicts {

    /** What a verdict found. */
    record Judgement(boolean passed, String detail) {

        static Judgement of(boolean passed, String format, Object... args) {
            return new Judgement(passed, String.format(java.util.Locale.ROOT, format, args));
        }
    }

    private record Verdict(String name, String path, String token, Function<String, Judgement> judge) {
    }

    private final List<Verdict> verdicts = new ArrayList<>();
    private final Map<String, Judgement> results = new LinkedHashMap<>();

    /** A verdict on what the run recorded; sent as a {@code GET /actuator/health} that carries it. */
    void add(String name, Supplier<Judgement> judge) {
        verdicts.add(new Verdict(name, "/actuator/health", null, body -> judge.get()));
    }

    /** A verdict on what the service answers to {@code GET path} (as the bearer of {@code token}) once the load is over. */
    void addOnAnswer(String name, String path, String token, Function<String, Judgement> judge) {
        verdicts.add(new Verdict(name, path, token, judge));
    }

    /**
     * Gatling assertions that fail the run unless every verdict was judged, once, and passed, with
     * the simulation's own assertions before them. (A warm-up's failures, e.g. 503s while Redis
     * loads the warehouse at the first order, are reported but fail nothing.)
     */
    List<Assertion> withAssertions(Assertion... own) {
        List<Assertion> assertions = new ArrayList<>(List.of(own));
        for (Verdict verdict : verdicts) {
            assertions.add(details("verdict: " + verdict.name()).allRequests().count().is(1L));
            assertions.add(details("verdict: " + verdict.name()).failedRequests().count().is(0L));
        }
        return assertions;
    }

    /** One virtual user that judges every verdict in turn; run it after the load ({@code andThen}). */
    ScenarioBuilder scenario() {
        List<ChainBuilder> steps = verdicts.stream().map(this::step).toList();
        return io.gatling.javaapi.core.CoreDsl.scenario("verdicts").exec(steps);
    }

    private ChainBuilder step(Verdict verdict) {
        var request = http("verdict: " + verdict.name()).get(verdict.path());
        if (verdict.token() != null) {
            request = request.header("Authorization", "Bearer " + verdict.token());
        }
        return exec(request.check(
                status().is(200),
                bodyString().transform(body -> judge(verdict, body)).is(true).name(verdict.name())));
    }

    private boolean judge(Verdict verdict, String body) {
        Judgement judgement;
        try {
            judgement = verdict.judge().apply(body);
        } catch (RuntimeException e) {
            judgement = new Judgement(false, "could not judge: " + e);
        }
        synchronized (results) {
            results.put(verdict.name(), judgement);
        }
        Report.line("verdict %s  %s: %s", judgement.passed() ? "PASS" : "FAIL", verdict.name(), judgement.detail());
        return judgement.passed();
    }

    /** Writes every verdict as {@code verdict.N=PASS|FAIL name: detail}; one never judged (the service was gone) is a FAIL. */
    void report(Report report) {
        int n = 0;
        boolean all = true;
        synchronized (results) {
            for (Verdict verdict : verdicts) {
                Judgement judgement = results.getOrDefault(verdict.name(), new Judgement(false, "not judged (no answer from the service)"));
                all &= judgement.passed();
                report.put("verdict." + ++n, (judgement.passed() ? "PASS " : "FAIL ") + verdict.name() + ": " + judgement.detail());
            }
        }
        report.put("verdicts", all ? "PASS" : "FAIL");
    }
}
