package dev.orderflow.orchestration.webhook;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A partner's subscription: where to post, which event types (with {@code *} wildcards, e.g.
 * {@code order.*}) of which channels.
 */
public record Subscription(UUID id, UUID ownerId, String url, List<String> events, List<String> channels, String secret,
        String previousSecret, Instant previousSecretUntil, Instant disabledAt, String disabledReason, Instant createdAt) {

    public Subscription {
        events = List.copyOf(events);
        channels = List.copyOf(channels);
    }

    public boolean wants(String eventType, String channel) {
        return disabledAt == null && channels.contains(channel) && events.stream().anyMatch(pattern -> matches(pattern, eventType));
    }

    static boolean matches(String pattern, String type) {
        if (pattern.equals("*")) {
            return true;
        }
        if (pattern.endsWith(".*")) {
            return type.startsWith(pattern.substring(0, pattern.length() - 1));
        }
        return pattern.equals(type);
    }

    /** The secrets to sign with now: the current one, and the previous one while a rotation lasts. */
    public List<String> signingSecrets(Instant now) {
        return previousSecret != null && previousSecretUntil != null && now.isBefore(previousSecretUntil)
                ? List.of(secret, previousSecret)
                : List.of(secret);
    }

    /** Without the secrets: a subscription may end up in a log line or an error message. */
    @Override
    public String toString() {
        return "Subscription[id=" + id + ", ownerId=" + ownerId + ", url=" + url + ", events=" + events + ", channels=" + channels
                + ", secret=[redacted], disabledAt=" + disabledAt + ", createdAt=" + createdAt + "]";
    }
}
