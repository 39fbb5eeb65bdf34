package dev.orderflow.api.webhook;

import dev.orderflow.orchestration.audit.Actor;
import dev.orderflow.orchestration.audit.AuditLog;
import dev.orderflow.orchestration.principal.Principal;
import dev.orderflow.orchestration.principal.Role;
import dev.orderflow.orchestration.support.DomainException;
import dev.orderflow.orchestration.support.Page;
import dev.orderflow.orchestration.webhook.Deliveries;
import dev.orderflow.orchestration.webhook.Delivery;
import dev.orderflow.orchestration.webhook.SsrfGuard;
import dev.orderflow.orchestration.webhook.Subscription;
import dev.orderflow.orchestration.webhook.Subscriptions;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PastOrPresent;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * Webhook subscriptions (partner, admin): a partner subscribes only to channels it is granted, and sees
 * only its own. Subscribing, deleting and rotating a secret are audited in their own transaction.
 */
@RestController
@RequestMapping(path = "/v1/webhooks", produces = MediaType.APPLICATION_JSON_VALUE)
class WebhookController {

    private final Subscriptions subscriptions;
    private final Deliveries deliveries;
    private final SsrfGuard ssrf;
    private final AuditLog audit;
    private final TransactionalOperator tx;

    WebhookController(Subscriptions subscriptions, Deliveries deliveries, SsrfGuard ssrf, AuditLog audit, TransactionalOperator tx) {
        this.subscriptions = subscriptions;
        this.deliveries = deliveries;
        this.ssrf = ssrf;
        this.audit = audit;
        this.tx = tx;
    }

    /** {@code POST /v1/webhooks}. */
    record SubscriptionRequest(@NotBlank @Size(max = 2000) String url,
            @NotEmpty @Size(max = 50) List<@NotBlank @Pattern(regexp = "\\*|[a-z_]+\\.(\\*|[a-z0-9_]+)",
                    message = "an event type such as order.shipped, or a wildcard such as order.*") String> events,
            @Size(max = 50) List<@NotBlank @Size(max = 64) String> channels) {
    }

    /** A subscription as its owner sees it; the secret only when it was just made. */
    record SubscriptionResponse(UUID id, String url, List<String> events, List<String> channels, String secret,
            Instant disabledAt, String disabledReason, Instant createdAt) {

        static SubscriptionResponse of(Subscription subscription, boolean withSecret) {
            return new SubscriptionResponse(subscription.id(), subscription.url(), subscription.events(), subscription.channels(),
                    withSecret ? subscription.secret() : null, subscription.disabledAt(), subscription.disabledReason(),
                    subscription.createdAt());
        }

        /** Spring logs what it encodes at DEBUG (and in full at TRACE): never with the secret. */
        @Override
        public String toString() {
            return "SubscriptionResponse[id=" + id + ", url=" + url + ", events=" + events + ", channels=" + channels
                    + (secret == null ? "" : ", secret=[redacted]") + ", disabledAt=" + disabledAt + ", createdAt=" + createdAt + "]";
        }
    }

    /** The answer to a rotation: the new secret, and until when the old one still signs. */
    record RotatedSecret(String secret, Instant previousSecretValidUntil) {

        @Override
        public String toString() {
            return "RotatedSecret[secret=[redacted], previousSecretValidUntil=" + previousSecretValidUntil + "]";
        }
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<SubscriptionResponse>> subscribe(@Valid @RequestBody SubscriptionRequest request,
            @AuthenticationPrincipal Principal principal) {
        List<String> channels = request.channels() == null || request.channels().isEmpty() ? principal.channels() : request.channels();
        return Mono.fromCallable(() -> grantedChannels(principal, channels))
                .then(ssrf.check(request.url()))
                .then(Mono.defer(() -> subscriptions.create(principal.id(), request.url(), request.events(), channels)
                        .flatMap(subscription -> audited(principal, "webhook.created", subscription).thenReturn(subscription))
                        .as(tx::transactional)))
                .map(subscription -> ResponseEntity.created(URI.create("/v1/webhooks/" + subscription.id()))
                        .body(SubscriptionResponse.of(subscription, true)));
    }

    @GetMapping
    Mono<Map<String, List<SubscriptionResponse>>> list(@AuthenticationPrincipal Principal principal) {
        UUID owner = principal.hasRole(Role.ADMIN) ? null : principal.id();
        return subscriptions.list(owner).map(subscription -> SubscriptionResponse.of(subscription, false)).collectList()
                .map(items -> Map.of("items", items));
    }

    @GetMapping("/{id}")
    Mono<SubscriptionResponse> get(@PathVariable UUID id, @AuthenticationPrincipal Principal principal) {
        return owned(id, principal).map(subscription -> SubscriptionResponse.of(subscription, false));
    }

    @DeleteMapping("/{id}")
    Mono<ResponseEntity<Void>> delete(@PathVariable UUID id, @AuthenticationPrincipal Principal principal) {
        return owned(id, principal)
                .flatMap(subscription -> subscriptions.delete(id).then(audited(principal, "webhook.deleted", subscription)).as(tx::transactional))
                .thenReturn(ResponseEntity.noContent().build());
    }

    /** A new secret; the old one keeps signing alongside it for 24 hours. */
    @PostMapping("/{id}/rotate-secret")
    Mono<RotatedSecret> rotate(@PathVariable UUID id, @AuthenticationPrincipal Principal principal) {
        return owned(id, principal)
                .flatMap(subscription -> subscriptions.rotateSecret(id)
                        .flatMap(rotated -> audited(principal, "webhook.secret_rotated", subscription).thenReturn(rotated))
                        .as(tx::transactional))
                .map(rotated -> new RotatedSecret(rotated.secret(), rotated.previousSecretUntil()));
    }

    @GetMapping("/{id}/deliveries")
    Mono<Page<Delivery>> deliveries(@PathVariable UUID id, @RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit, @AuthenticationPrincipal Principal principal) {
        return owned(id, principal).flatMap(subscription -> deliveries.log(id, cursor, limit));
    }

    @PostMapping("/{id}/deliveries/{deliveryId}/redeliver")
    Mono<ResponseEntity<Void>> redeliver(@PathVariable UUID id, @PathVariable UUID deliveryId,
            @AuthenticationPrincipal Principal principal) {
        return owned(id, principal)
                .flatMap(subscription -> deliveries.redeliver(id, deliveryId))
                .flatMap(found -> found ? Mono.just(ResponseEntity.status(HttpStatus.ACCEPTED).<Void>build())
                        : Mono.error(notFound("delivery " + deliveryId)));
    }

    /**
     * {@code POST /v1/webhooks/{id}/replay}: send again every delivery since a time. A time to come
     * has nothing to replay and is a mistake; far enough ahead (year +999999999) PostgreSQL could not
     * even compare it, and the request failed with a 500.
     */
    record ReplayRequest(@NotNull @PastOrPresent Instant since) {
    }

    @PostMapping(path = "/{id}/replay", consumes = MediaType.APPLICATION_JSON_VALUE)
    Mono<ResponseEntity<Map<String, Long>>> replay(@PathVariable UUID id, @Valid @RequestBody ReplayRequest request,
            @AuthenticationPrincipal Principal principal) {
        return owned(id, principal)
                .flatMap(subscription -> deliveries.replaySince(id, request.since()))
                .map(count -> ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("requeued", count)));
    }

    /** What an auditor needs of a subscription: whose, where to, what; never its secret. */
    private Mono<Void> audited(Principal principal, String action, Subscription subscription) {
        return audit.record(Actor.of(principal), action, "webhook", subscription.id().toString(), Map.of(
                "owner", subscription.ownerId().toString(), "url", subscription.url(), "events", subscription.events(),
                "channels", subscription.channels()));
    }

    /** Another partner's subscription does not exist, as far as this one can tell. */
    private Mono<Subscription> owned(UUID id, Principal principal) {
        return subscriptions.find(id)
                .filter(subscription -> principal.hasRole(Role.ADMIN) || subscription.ownerId().equals(principal.id()))
                .switchIfEmpty(Mono.error(() -> notFound("subscription " + id)));
    }

    private static Void grantedChannels(Principal principal, List<String> channels) {
        if (channels.isEmpty()) {
            throw new DomainException(DomainException.Kind.UNPROCESSABLE, "no-channels", "No channels",
                    "Name the channels to subscribe to; your principal is granted none.");
        }
        List<String> refused = channels.stream().filter(channel -> !principal.canSee(channel)).toList();
        if (!refused.isEmpty()) {
            throw new DomainException(DomainException.Kind.FORBIDDEN, "channel-not-granted", "Channel not granted",
                    "You are not granted the channels " + refused + ".").with("channels", refused);
        }
        return null;
    }

    private static DomainException notFound(String what) {
        return new DomainException(DomainException.Kind.NOT_FOUND, "not-found", "Not found", "No " + what + ".");
    }
}
