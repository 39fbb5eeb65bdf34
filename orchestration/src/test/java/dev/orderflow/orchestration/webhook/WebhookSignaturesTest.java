package dev.orderflow.orchestration.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Signatures as the contract describes them, computed here independently, and as a partner's Standard Webhooks library verifies them. */
class WebhookSignaturesTest {

    private static final String SECRET = "whsec_" + Base64.getEncoder().encodeToString("a 32 byte secret for the tests!!".getBytes(StandardCharsets.UTF_8));
    private static final String OLD_SECRET = "whsec_" + Base64.getEncoder().encodeToString("the secret from before rotation!".getBytes(StandardCharsets.UTF_8));
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final String ID = "01a202e5-4b1c-7f3a-9d2e-3c4b5a697881";
    private static final String BODY = "{\"type\":\"order.accepted\",\"data\":{\"orderId\":\"x\",\"note\":\"caf\u00e9\"}}";

    @Test
    void theSignatureIsHmacSha256OfIdTimestampAndBodyKeyedWithTheDecodedSecret() throws Exception {
        String header = WebhookSignatures.header(subscription(null, null), NOW, ID, NOW.getEpochSecond(), BODY);

        assertThat(header).isEqualTo("v1," + hmac(SECRET, ID + "." + NOW.getEpochSecond() + "." + BODY));
    }

    @Test
    void aPartnerVerifiesItWithTheStandardWebhooksLibrary() throws Exception {
        long timestamp = Instant.now().getEpochSecond();
        String header = WebhookSignatures.header(subscription(null, null), Instant.now(), ID, timestamp, BODY);

        new Webhook(SECRET).verify(BODY, headers(timestamp, header));
        assertThatThrownBy(() -> new Webhook(SECRET).verify(BODY + " ", headers(timestamp, header)))
                .as("another body").isInstanceOf(Exception.class);
        assertThatThrownBy(() -> new Webhook(OLD_SECRET).verify(BODY, headers(timestamp, header)))
                .as("another secret").isInstanceOf(Exception.class);
    }

    @Test
    void whileARotationOverlapsBothSecretsSignCurrentFirst() throws Exception {
        Subscription rotating = subscription(OLD_SECRET, NOW.plusSeconds(1));

        String header = WebhookSignatures.header(rotating, NOW, ID, 1_700_000_000L, BODY);

        String signed = ID + ".1700000000." + BODY;
        assertThat(header).isEqualTo("v1," + hmac(SECRET, signed) + " v1," + hmac(OLD_SECRET, signed));
    }

    @Test
    void onceTheOverlapHasEndedOnlyTheCurrentSecretSigns() throws Exception {
        String signed = ID + ".1700000000." + BODY;
        String current = "v1," + hmac(SECRET, signed);

        assertThat(WebhookSignatures.header(subscription(OLD_SECRET, NOW), NOW, ID, 1_700_000_000L, BODY))
                .as("the overlap ends at its instant").isEqualTo(current);
        assertThat(WebhookSignatures.header(subscription(OLD_SECRET, NOW.minusSeconds(1)), NOW, ID, 1_700_000_000L, BODY))
                .isEqualTo(current);
        assertThat(WebhookSignatures.header(subscription(OLD_SECRET, null), NOW, ID, 1_700_000_000L, BODY))
                .as("no end recorded: no overlap").isEqualTo(current);
    }

    @Test
    void aSecretThatIsNotBase64CannotSign() {
        assertThatThrownBy(() -> WebhookSignatures.sign("whsec_not base64!", ID, 1L, BODY))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("could not sign a webhook");
    }

    private static Subscription subscription(String previousSecret, Instant previousUntil) {
        return new Subscription(UUID.randomUUID(), UUID.randomUUID(), "https://partner.example/hooks", List.of("order.*"),
                List.of("webshop"), SECRET, previousSecret, previousUntil, null, null, NOW.minusSeconds(3600));
    }

    private static String hmac(String secret, String content) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
        return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
    }

    private static HttpHeaders headers(long timestamp, String signature) {
        return HttpHeaders.of(Map.of("webhook-id", List.of(ID), "webhook-timestamp", List.of(Long.toString(timestamp)),
                "webhook-signature", List.of(signature)), (name, value) -> true);
    }
}
