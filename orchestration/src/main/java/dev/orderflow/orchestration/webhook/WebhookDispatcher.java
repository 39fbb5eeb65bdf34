package dev.orderflow.orchestration.webhook;

import dev.orderflow.orchestration.support.Json;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.ClientResponse;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.Disposable;
import reactor.core.Disposables;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Delivers webhooks: fans new events out, claims deliveries that head their line, and posts each
 * signed per Standard Webhooks ({@code webhook-id} is the event id, the same on every retry). Any
 * 2xx is delivered; 410 disables the subscription; 429/503 are retried no sooner than Retry-After;
 * anything else follows {@link RetrySchedule}, then the delivery is dead-lettered and announced.
 *
 * <p>At shutdown ({@link #drain(Duration)}) it stops fanning out and claiming, lets the sends in
 * flight finish, and gives back the leases of those still unanswered when the time is up, so another
 * instance sends them at once (with the same {@code webhook-id}).
 */
public class WebhookDispatcher {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookDispatcher.class);
    public static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final Duration LEASE = TIMEOUT.multipliedBy(3);

    private final WebhookFanOut fanOut;
    private final Deliveries deliveries;
    private final Subscriptions subscriptions;
    private final WebClient web;
    private final Clock clock;
    private final Duration pollInterval;
    private final int concurrency;
    private final int perSubscription;
    private final SsrfGuard ssrf;
    private final AtomicInteger inFlight = new AtomicInteger();
    /** Passes under way (fan-out, claim): a drain waits for them, so nothing is claimed and then forgotten. */
    private final AtomicInteger passes = new AtomicInteger();
    /** What this instance holds, by delivery id, to give back at shutdown. */
    private final Map<UUID, Deliveries.Claimed> held = new ConcurrentHashMap<>();
    private final MeterRegistry meters;
    private volatile boolean draining;
    /** Replaced by each start(), read by the claim loop's thread: volatile so it sees the current one. */
    private volatile Sinks.Many<Work> work;
    private Disposable loops;

    /**
     * @param web  a client whose connections {@code ssrf} guards ({@link SsrfGuard#guard}); this
     *             refuses URLs naming an internal IP address itself, as those are never resolved
     */
    public WebhookDispatcher(WebhookFanOut fanOut, Deliveries deliveries, Subscriptions subscriptions, WebClient web, SsrfGuard ssrf,
            Clock clock, Duration pollInterval, int concurrency, int perSubscription, MeterRegistry meters) {
        this.ssrf = ssrf;
        this.meters = meters;
        // every series from zero: a rate over a counter that appears mid-way misses its first increments
        List.of("delivered", "retried", "dead", "gone", "released").forEach(this::counter);
        this.fanOut = fanOut;
        this.deliveries = deliveries;
        this.subscriptions = subscriptions;
        this.web = web;
        this.clock = clock;
        this.pollInterval = pollInterval;
        this.concurrency = concurrency;
        this.perSubscription = perSubscription;
    }

    /**
     * Three loops: fan-out of new events, claiming of due deliveries (as many as there are free
     * senders, without waiting for the sends), and the senders themselves.
     */
    public synchronized void start() {
        if (loops == null) {
            draining = false;
            work = Sinks.many().unicast().onBackpressureBuffer();
            loops = Disposables.composite(
                    work.asFlux().flatMap(this::deliver, concurrency).subscribe(),
                    Flux.interval(pollInterval, pollInterval).onBackpressureDrop()
                            .concatMap(tick -> fanOutOnce(), 1).subscribe(),
                    Flux.interval(pollInterval, pollInterval).onBackpressureDrop()
                            .concatMap(tick -> claimOnce(), 1).subscribe());
        }
    }

    /** Stops at once: sends in flight are abandoned to their lease (a crash behaves the same). */
    public synchronized void stop() {
        if (loops != null) {
            loops.dispose();
            loops = null;
        }
    }

    /**
     * Stops fanning out and claiming, waits up to {@code timeout} for the sends in flight to be
     * answered and recorded, then cancels the rest and gives their leases back.
     */
    public Mono<Void> drain(Duration timeout) {
        draining = true;
        return Flux.interval(Duration.ofMillis(20))
                .filter(tick -> inFlight.get() == 0 && passes.get() == 0)
                .next()
                .timeout(timeout, Mono.just(-1L))
                // what is still held was claimed and never answered (a drain that ran out of time);
                // taken before stopping, whose cancellations forget what they held
                .map(tick -> List.copyOf(held.values()))
                .doOnNext(unfinished -> stop())
                .flatMap(this::releaseHeld);
    }

    private Mono<Void> releaseHeld(List<Deliveries.Claimed> unfinished) {
        held.clear();
        if (unfinished.isEmpty()) {
            return Mono.empty();
        }
        return deliveries.release(unfinished)
                .doOnNext(released -> {
                    counter("released").increment(released);
                    LOG.info("Gave back {} unanswered webhook deliveries at shutdown; other instances send them now", released);
                })
                .onErrorResume(error -> {
                    // PostgreSQL away: the deliveries come back when their lease runs out
                    LOG.warn("Could not give back the webhook deliveries held at shutdown", error);
                    return Mono.empty();
                })
                .then();
    }

    /** Runs one pass unless draining, counted so a drain can wait for it to end. */
    private Mono<Void> pass(java.util.function.Supplier<Mono<Void>> pass) {
        return Mono.defer(() -> {
            if (draining) {
                return Mono.empty();
            }
            passes.incrementAndGet();
            return pass.get().doFinally(signal -> passes.decrementAndGet());
        });
    }

    private Mono<Void> fanOutOnce() {
        return pass(this::fanOutPass);
    }

    private Mono<Void> fanOutPass() {
        return fanOut.runOnce()
                .then()
                .onErrorResume(error -> {
                    // PostgreSQL away: the events wait in the outbox for the next pass
                    LOG.warn("Webhook fan-out failed", error);
                    return Mono.empty();
                });
    }

    /** Claims what free senders can take; the subscriptions are read once per pass, not once per delivery. */
    private Mono<Void> claimOnce() {
        return pass(this::claimPass);
    }

    /** Sends only what a committed claim holds: a claim whose commit failed leaves the deliveries free for another sender. */
    private Mono<Void> claimPass() {
        return Mono.defer(() -> subscriptions.active().collectMap(Subscription::id)
                        .flatMap(active -> deliveries.claim(concurrency - inFlight.get(), perSubscription, LEASE)
                                .collectList()
                                .doOnNext(claimed -> claimed.forEach(one -> dispatch(new Work(one, active.get(one.delivery().subscriptionId()))))))
                        .then())
                .onErrorResume(error -> {
                    // PostgreSQL away: the deliveries wait in the table for the next pass
                    LOG.warn("Could not claim webhook deliveries", error);
                    return Mono.empty();
                });
    }

    private void dispatch(Work next) {
        inFlight.incrementAndGet();
        held.put(next.claimed().delivery().id(), next.claimed());
        work.emitNext(next, Sinks.EmitFailureHandler.busyLooping(Duration.ofMillis(100)));
    }

    /** A claimed delivery and its subscription (null: deleted or disabled since). */
    private record Work(Deliveries.Claimed claimed, Subscription subscription) {
    }

    private Mono<Void> deliver(Work next) {
        Deliveries.Claimed claimed = next.claimed();
        return Mono.justOrEmpty(next.subscription())
                .flatMap(subscription -> send(subscription, claimed).flatMap(outcome -> record(subscription, claimed, outcome)))
                // deleted, or disabled (it answered 410): nothing to deliver to
                .switchIfEmpty(Mono.defer(() -> deliveries.settle(claimed, "CANCELLED", null, "subscription deleted or disabled", null).then()))
                .onErrorResume(error -> {
                    // not recorded: the lease runs out and another pass sends it again, with the same webhook-id
                    LOG.warn("Webhook delivery {} could not be recorded", claimed.delivery().id(), error);
                    return Mono.empty();
                })
                .doFinally(signal -> {
                    held.remove(claimed.delivery().id());
                    inFlight.decrementAndGet();
                });
    }

    private Counter counter(String outcome) {
        return Counter.builder("orderflow.webhook.deliveries")
                .description("Webhook delivery attempts by outcome, on this instance")
                .tag("outcome", outcome)
                .register(meters);
    }

    /** What came back from one attempt: a status, or an error (timeout, reset, refused). */
    record Attempt(Integer status, Duration retryAfter, String error) {
    }

    private Mono<Attempt> send(Subscription subscription, Deliveries.Claimed claimed) {
        Optional<String> refused = ssrf.refusedTarget(subscription.url());
        if (refused.isPresent()) {
            // never sent: recorded as a failed attempt, retried on schedule in case the subscription is fixed
            return Mono.just(new Attempt(null, null, refused.get()));
        }
        String body = body(claimed);
        String id = claimed.delivery().eventId().toString();
        long timestamp = clock.instant().getEpochSecond();
        return web.post()
                .uri(subscription.url())
                .contentType(MediaType.APPLICATION_JSON)
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", WebhookSignatures.header(subscription, clock.instant(), id, timestamp, body))
                .bodyValue(body)
                .exchangeToMono(WebhookDispatcher::attempt)
                .timeout(TIMEOUT)
                .onErrorResume(TimeoutException.class, timeout -> Mono.just(new Attempt(null, null, "no answer within " + TIMEOUT.toSeconds() + " s")))
                .onErrorResume(error -> !(error instanceof TimeoutException),
                        error -> Mono.just(new Attempt(null, null, describe(error))));
    }

    /** A refused target says so plainly; anything else by its type and message. */
    private static String describe(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof SsrfGuard.ForbiddenTargetException forbidden) {
                return forbidden.getMessage();
            }
        }
        return error.getClass().getSimpleName() + ": " + error.getMessage();
    }

    private static Mono<Attempt> attempt(ClientResponse response) {
        Duration retryAfter = retryAfter(response.headers().asHttpHeaders());
        return response.releaseBody().thenReturn(new Attempt(response.statusCode().value(), retryAfter, null));
    }

    private Mono<Void> record(Subscription subscription, Deliveries.Claimed claimed, Attempt attempt) {
        Instant now = clock.instant();
        if (attempt.status() != null && attempt.status() >= 200 && attempt.status() < 300) {
            counter("delivered").increment();
            return deliveries.settle(claimed, "DELIVERED", attempt.status(), null, null).then();
        }
        if (attempt.status() != null && attempt.status() == 410) {
            counter("gone").increment();
            return subscriptions.disable(subscription.id(), "the endpoint answered 410 Gone")
                    .then(deliveries.settle(claimed, "GONE", 410, "410 Gone: subscription disabled", null))
                    .then();
        }
        String error = attempt.error() != null ? attempt.error() : "answered " + attempt.status();
        boolean honourRetryAfter = attempt.status() != null && (attempt.status() == 429 || attempt.status() == 503);
        Optional<Instant> next = RetrySchedule.next(now, claimed.delivery().attempts(), honourRetryAfter ? attempt.retryAfter() : null);
        if (next.isPresent()) {
            counter("retried").increment();
            return deliveries.settle(claimed, "PENDING", attempt.status(), error, next.get()).then();
        }
        counter("dead").increment();
        return deliveries.settle(claimed, "DEAD", attempt.status(), error, null)
                .filter(Boolean::booleanValue)
                .flatMap(settled -> deliveries.announceDeadLetter(claimed.delivery(), error))
                .then();
    }

    /** The body partners receive: type, time of the event, and its data with the per-order sequence number. */
    static String body(Deliveries.Claimed claimed) {
        Map<String, Object> data = new LinkedHashMap<>(Json.readObject(claimed.eventData()));
        data.put("sequence", claimed.delivery().orderSeq());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", claimed.delivery().eventType());
        body.put("timestamp", claimed.eventTime().toString());
        body.put("data", data);
        return Json.write(body);
    }

    private static Duration retryAfter(HttpHeaders headers) {
        String value = headers.getFirst(HttpHeaders.RETRY_AFTER);
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            // an HTTP date; the schedule's own wait applies
            return null;
        }
    }
}
