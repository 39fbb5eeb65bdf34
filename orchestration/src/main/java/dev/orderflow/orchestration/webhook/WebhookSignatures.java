package dev.orderflow.orchestration.webhook;

import com.standardwebhooks.Webhook;
import java.time.Instant;
import java.util.stream.Collectors;

/**
 * The {@code webhook-signature} header of one delivery, per Standard Webhooks: {@code v1,<base64
 * HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}">} keyed with the secret after
 * {@code whsec_}, one per secret the subscription signs with now, space-separated (two while a
 * rotated secret overlaps, so a partner that has not switched yet still verifies).
 */
final class WebhookSignatures {

    private WebhookSignatures() {
    }

    static String header(Subscription subscription, Instant now, String id, long timestamp, String body) {
        return subscription.signingSecrets(now).stream()
                .map(secret -> sign(secret, id, timestamp, body))
                .collect(Collectors.joining(" "));
    }

    static String sign(String secret, String id, long timestamp, String body) {
        try {
            return new Webhook(secret).sign(id, timestamp, body);
        } catch (Exception e) {
            // only a secret that is not base64 gets here, and secrets are ours: generated as base64
            throw new IllegalStateException("could not sign a webhook", e);
        }
    }
}
