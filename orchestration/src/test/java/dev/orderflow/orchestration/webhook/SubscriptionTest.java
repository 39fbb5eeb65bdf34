package dev.orderflow.orchestration.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which events a subscription wants, which secrets sign them, and that it never prints a secret. */
class SubscriptionTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void aSubscriptionWantsItsEventTypesOfItsChannelsOnly() {
        Subscription subscription = subscription(List.of("order.shipped", "edi.*"), null);

        assertThat(subscription.wants("order.shipped", "webshop")).isTrue();
        assertThat(subscription.wants("edi.855", "webshop")).isTrue();
        assertThat(subscription.wants("order.shipped", "marketplace")).as("another channel").isFalse();
        assertThat(subscription.wants("order.accepted", "webshop")).isFalse();
        assertThat(subscription.wants("order.shipped.late", "webshop")).isFalse();
    }

    @Test
    void aDisabledSubscriptionWantsNothing() {
        assertThat(subscription(List.of("*"), NOW).wants("order.shipped", "webshop")).isFalse();
        assertThat(subscription(List.of("*"), null).wants("order.shipped", "webshop")).isTrue();
    }

    @Test
    void wildcardsMatchATypePrefixUpToTheDotOrEverything() {
        assertThat(Subscription.matches("*", "anything.at.all")).isTrue();
        assertThat(Subscription.matches("order.*", "order.accepted")).isTrue();
        assertThat(Subscription.matches("order.*", "orders.accepted")).isFalse();
        assertThat(Subscription.matches("order.*", "order")).isFalse();
        assertThat(Subscription.matches("order.accepted", "order.accepted")).isTrue();
        assertThat(Subscription.matches("order.accepted", "order.accepted2")).isFalse();
        assertThat(Subscription.matches("order*", "order.accepted")).as("only a whole segment is a wildcard").isFalse();
    }

    @Test
    void itsTextNamesNoSecret() {
        Subscription subscription = new Subscription(UUID.randomUUID(), UUID.randomUUID(), "https://partner.example/hooks",
                List.of("order.*"), List.of("webshop"), "whsec_current", "whsec_previous", NOW, null, null, NOW);

        assertThat(subscription.toString()).contains("https://partner.example/hooks", "secret=[redacted]", "webshop")
                .doesNotContain("whsec_");
    }

    @Test
    void itsListsCannotBeChangedFromOutside() {
        List<String> events = new java.util.ArrayList<>(List.of("order.shipped"));
        Subscription subscription = new Subscription(UUID.randomUUID(), UUID.randomUUID(), "https://partner.example/hooks",
                events, List.of("webshop"), "whsec_x", null, null, null, null, NOW);
        events.add("order.accepted");

        assertThat(subscription.wants("order.accepted", "webshop")).isFalse();
    }

    private static Subscription subscription(List<String> events, Instant disabledAt) {
        return new Subscription(UUID.randomUUID(), UUID.randomUUID(), "https://partner.example/hooks", events, List.of("webshop"),
                "whsec_x", null, null, disabledAt, disabledAt == null ? null : "gone", NOW);
    }
}
