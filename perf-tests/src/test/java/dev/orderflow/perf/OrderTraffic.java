package dev.orderflow.perf;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.bodyString;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Session;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * One channel posting orders: {@code POST /v1/orders} with a unique {@code Idempotency-Key} and
 * external reference per order, answers recorded in an {@link Outcomes}.
 */
final class OrderTraffic {

    private static final String BODY = "order.body";
    private static final String KEY = "order.key";
    private static final String ANSWER = "order.answer";

    private final String runId;
    private final String warehouse;
    private final AtomicLong sequence = new AtomicLong();
    private volatile String token;

    OrderTraffic(String runId, String warehouse) {
        this.runId = runId;
        this.warehouse = warehouse;
    }

    /** The channel principal's token, known once {@code before()} has issued it. */
    void token(String token) {
        this.token = token;
    }

    String token() {
        return token;
    }

    String warehouse() {
        return warehouse;
    }

    /** Orders created so far (posted, whatever the answer). */
    long posted() {
        return sequence.get();
    }

    /** What one order's request got: its status ({@link Tally#NO_ANSWER} if none), its external reference (= its key), the body. */
    record Answer(int status, String externalRef, String body) {
    }

    /**
     * Posts one order.
     *
     * @param lines    the order's lines, drawn anew for each order
     * @param allowed  the statuses that are a correct answer (anything else fails the request)
     * @param onAnswer given every answer (null: none needed), in the virtual user's thread
     */
    ChainBuilder post(Outcomes outcomes, Supplier<List<OrderBodies.Line>> lines, List<Integer> allowed, Consumer<Answer> onAnswer) {
        HttpRequestActionBuilder request = http(outcomes::requestName)
                .post("/v1/orders")
                .header("Authorization", session -> "Bearer " + token)
                .header("Idempotency-Key", session -> session.getString(KEY))
                .body(StringBody(session -> session.getString(BODY)))
                .check(status().in(allowed))
                // a request shed with 429 or 503 must say when to come back
                .checkIf((response, session) -> Tally.isShed(response.status().code()))
                .then(header("Retry-After").exists());
        return exec(session -> prepare(session, lines.get()))
                .exec(outcomes.send(onAnswer == null ? request : request.check(bodyString().saveAs(ANSWER))))
                .exec(session -> answered(session, onAnswer));
    }

    private Session prepare(Session session, List<OrderBodies.Line> lines) {
        String key = runId + "-" + sequence.incrementAndGet();
        return session.set(KEY, key).set(BODY, OrderBodies.json(key, warehouse, lines)).remove(ANSWER);
    }

    private static Session answered(Session session, Consumer<Answer> onAnswer) {
        if (onAnswer != null) {
            onAnswer.accept(new Answer(Outcomes.lastStatus(session), session.getString(KEY),
                    session.contains(ANSWER) ? session.getString(ANSWER) : ""));
        }
        return session;
    }
}
