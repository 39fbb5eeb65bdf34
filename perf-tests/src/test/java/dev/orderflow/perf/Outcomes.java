package dev.orderflow.perf;

import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.responseTimeInMillis;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every answer to one kind of request in a run, kept by phase and by second of sending. Gatling's
 * report has the run as a whole; this has what the verdicts need: latency of accepted requests only
 * (shed answers are fast and would flatter it), per-second percentiles (how soon after an overload
 * the p99 is back), and every status, including "no answer".
 *
 * <p>A request is named after its phase ({@code POST /v1/orders [measured]}), so the Gatling report
 * and its assertions can also tell the phases apart.
 */
final class Outcomes {

    private static final String SENT_AT = "outcomes.sentAt";
    private static final String PHASE = "outcomes.phase";
    private static final String STATUS = "outcomes.status";
    private static final String LATENCY = "outcomes.latency";
    private static final String RETRY_AFTER = "outcomes.retryAfter";

    private final String label;
    private final Phases phases;
    private final Map<String, Tally> byPhase = new ConcurrentHashMap<>();
    private final NavigableMap<Long, Tally> bySecond = new ConcurrentSkipListMap<>();
    private final AtomicLong inFlight = new AtomicLong();

    Outcomes(String label, Phases phases) {
        this.label = label;
        this.phases = phases;
    }

    String label() {
        return label;
    }

    Phases phases() {
        return phases;
    }

    /** The Gatling request name of a phase: {@code POST /v1/orders [measured]}. */
    String nameIn(String phase) {
        return label + " [" + phase + "]";
    }

    /** The request name for the phase this virtual user sends in; use as {@code http(outcomes::requestName)}. */
    String requestName(Session session) {
        return nameIn(session.getString(PHASE));
    }

    /**
     * Sends the request and records its answer, whatever it was. The recording checks come first:
     * Gatling runs every check of a response even after one fails, so a refused answer is recorded
     * with its status and time too.
     */
    ChainBuilder send(HttpRequestActionBuilder request) {
        return exec(this::beforeSending)
                .exec(request.check(
                        status().saveAs(STATUS),
                        responseTimeInMillis().saveAs(LATENCY),
                        header("Retry-After").optional().saveAs(RETRY_AFTER)))
                .exec(this::afterAnswer);
    }

    /** The status of the last answer {@link #send} recorded for this virtual user ({@link Tally#NO_ANSWER} if none came). */
    static int lastStatus(Session session) {
        return session.contains(STATUS) ? session.getInt(STATUS) : Tally.NO_ANSWER;
    }

    /** The phase the last request {@link #send} made for this virtual user was sent in. */
    static String lastPhase(Session session) {
        return session.getString(PHASE);
    }

    private Session beforeSending(Session session) {
        long now = System.currentTimeMillis();
        inFlight.incrementAndGet();
        return session.removeAll(STATUS, LATENCY, RETRY_AFTER)
                .set(SENT_AT, now)
                .set(PHASE, phases.at(now));
    }

    private Session afterAnswer(Session session) {
        inFlight.decrementAndGet();
        long sentAt = session.getLong(SENT_AT);
        int status = lastStatus(session);
        // no answer at all: no response time either; the wait until Gatling gave up is what the client saw
        long latency = session.contains(LATENCY) ? session.getInt(LATENCY) : System.currentTimeMillis() - sentAt;
        record(session.getString(PHASE), sentAt, status, latency, session.contains(RETRY_AFTER));
        return session;
    }

    void record(String phase, long sentAt, int status, long latencyMs, boolean retryAfter) {
        byPhase.computeIfAbsent(phase, name -> new Tally(3)).add(status, latencyMs, retryAfter, sentAt);
        long second = (sentAt - phases.started()) / 1000;
        bySecond.computeIfAbsent(second, key -> new Tally(2)).add(status, latencyMs, retryAfter, sentAt);
    }

    /** Requests sent and not answered yet. */
    long inFlight() {
        return inFlight.get();
    }

    /** The answers to requests sent in a phase (empty if none was). */
    Tally phase(String name) {
        return byPhase.getOrDefault(name, new Tally(3));
    }

    /** The answers by second of sending, counted from the first request of the run. */
    NavigableMap<Long, Tally> seconds() {
        return bySecond;
    }

    /** Accepted answers per second in a phase: over the phase's length, or longer if the last answers came later. */
    double acceptedPerSecond(String phase) {
        Tally tally = phase(phase);
        double seconds = Math.max(phases.length(phase).toMillis(), tally.spanMillis()) / 1000.0;
        return seconds == 0 ? 0 : tally.accepted() / seconds;
    }
}
