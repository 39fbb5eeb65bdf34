package dev.orderflow.api.security;

import static dev.orderflow.api.support.OrderflowClient.order;
import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.api.support.IntegrationTest;
import dev.orderflow.api.support.OrderFixtures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * Nobody reads or changes what is not theirs: another channel's order is, to a channel (or a
 * partner, or sales), exactly as absent as an order that never existed, on every order-scoped
 * endpoint; lists never show it; another partner's webhook does not exist either.
 */
class ChannelIsolationIT extends IntegrationTest {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    /** Every order-scoped endpoint, with a body that would otherwise pass its checks. */
    private static final List<Call> ORDER_SCOPED = List.of(
            new Call(HttpMethod.GET, "/v1/orders/{id}", null),
            new Call(HttpMethod.GET, "/v1/orders/{id}/timeline", null),
            new Call(HttpMethod.POST, "/v1/orders/{id}/cancel", Map.of("reason", "not mine")),
            new Call(HttpMethod.POST, "/v1/orders/{id}/approve", null),
            new Call(HttpMethod.POST, "/v1/orders/{id}/credit-release", null),
            new Call(HttpMethod.POST, "/v1/orders/{id}/shipments",
                    Map.of("shipmentId", "S-1", "lines", List.of(Map.of("lineNo", 1, "quantity", 1)))),
            new Call(HttpMethod.POST, "/v1/orders/{id}/retry", null),
            new Call(HttpMethod.GET, "/v1/orders/{id}/edi/855", null),
            new Call(HttpMethod.GET, "/v1/orders/{id}/edi/856", null),
            new Call(HttpMethod.GET, "/v1/orders/{id}/edi/810", null));

    private record Call(HttpMethod method, String path, Map<String, Object> body) {
    }

    @Test
    void anotherChannelsOrderIsAsAbsentAsOneThatNeverExisted() {
        String theirs = placeOrderOfAnotherChannel();
        String missing = UUID.randomUUID().toString();
        List<String> outsiders = List.of(
                channelToken(),
                issueToken("user", List.of("sales"), List.of(unique("shop"))),
                issueToken("partner", List.of("partner"), List.of(unique("shop"))),
                // a channel principal holding more roles is still confined to its channels... unless a
                // role is staff (approver, credit, warehouse, operator), which sees every channel by design
                issueToken("channel", List.of("channel", "sales", "partner"), List.of(unique("shop"))));

        for (String outsider : outsiders) {
            for (Call call : ORDER_SCOPED) {
                EntityExchangeResult<byte[]> forTheirs = send(as(outsider), call, theirs);
                EntityExchangeResult<byte[]> forMissing = send(as(outsider), call, missing);

                int status = forTheirs.getStatus().value();
                assertThat(status).as("%s %s", call.method(), call.path()).isIn(403, 404);
                // the answer says nothing about whether the order exists: the same as for no order at all
                assertThat(status).as("%s %s", call.method(), call.path()).isEqualTo(forMissing.getStatus().value());
                assertThat(body(forTheirs).replace(theirs, "ID")).as("%s %s", call.method(), call.path())
                        .isEqualTo(body(forMissing).replace(missing, "ID"));
            }
        }
    }

    @Test
    void aChannelGets404OnEveryOrderScopedEndpointItMayCall() {
        String theirs = placeOrderOfAnotherChannel();
        WebTestClient outsider = as(channelToken());

        for (Call call : ORDER_SCOPED) {
            int status = send(outsider, call, theirs).getStatus().value();
            // a channel may read, cancel and fetch EDI documents; the staff-only actions are refused by role first
            boolean channelMayCall = call.path().endsWith("}") || call.path().contains("timeline") || call.path().contains("cancel")
                    || call.path().contains("/edi/");
            assertThat(status).as("%s %s", call.method(), call.path()).isEqualTo(channelMayCall ? 404 : 403);
        }
    }

    @Test
    void anOutsidersCancelChangesNothing() {
        String warehouse = unique("W");
        stock(warehouse, "SKU-1", 10);
        String owner = channelToken();
        OrderFixtures orders = new OrderFixtures(asAdmin(), as(owner), warehouse);
        String id = orders.place(order(unique("PO"), warehouse, "SKU-1", 1));
        int eventsBefore = orders.timelineTypes(id).size();

        as(channelToken()).post().uri("/v1/orders/{id}/cancel", id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("reason", "sabotage")).exchange()
                .expectStatus().isNotFound();

        assertThat(orders.status(id)).isNotEqualTo("CANCELLED");
        assertThat(orders.timelineTypes(id)).doesNotContain("order.cancelled").hasSizeGreaterThanOrEqualTo(eventsBefore);
    }

    @Test
    void listsNeverShowAnotherChannelsOrders() {
        String warehouse = unique("W");
        stock(warehouse, "SKU-1", 10);
        String theirChannel = unique("shop");
        String theirs = issueToken("channel", List.of("channel"), List.of(theirChannel));
        String externalRef = unique("PO");
        new OrderFixtures(asAdmin(), as(theirs), warehouse).place(order(externalRef, warehouse, "SKU-1", 1));
        String mine = channelToken();
        new OrderFixtures(asAdmin(), as(mine), warehouse).place(order(unique("PO"), warehouse, "SKU-1", 1));

        as(mine).get().uri("/v1/orders?externalRef={ref}", externalRef).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(0);
        List<Map<String, Object>> everything = walk(as(mine), "/v1/orders?limit=500");
        assertThat(everything).isNotEmpty().allSatisfy(item -> assertThat(item.get("channel")).isNotEqualTo(theirChannel));
        // and staff see it
        asAdmin().get().uri("/v1/orders?externalRef={ref}", externalRef).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(1);
    }

    @Test
    void crossReferencesAreEachChannelsOwn() {
        String theirs = channelToken();
        String customer = unique("C");
        as(theirs).put().uri("/v1/edi/customers/{c}/items", customer).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("items", List.of(Map.of("buyerPart", "BP-1", "sku", "SKU-1")))).exchange()
                .expectStatus().isOk();
        WebTestClient outsider = as(channelToken());

        outsider.get().uri("/v1/edi/customers/{c}/items", customer).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(0);
        outsider.delete().uri("/v1/edi/customers/{c}/items/BP-1", customer).exchange().expectStatus().isNotFound();
        as(theirs).get().uri("/v1/edi/customers/{c}/items", customer).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(1);
    }

    @Test
    void anotherPartnersWebhookIsNotFoundOnEveryEndpoint() {
        String shop = unique("shop");
        String owner = issueToken("partner", List.of("partner"), List.of(shop));
        String id = (String) as(owner).post().uri("/v1/webhooks").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("url", "http://localhost:9/hooks", "events", List.of("order.*")))
                .exchange().expectStatus().isCreated()
                .expectBody(JSON).returnResult().getResponseBody().get("id");
        // another partner, even one granted the same channel
        WebTestClient other = as(issueToken("partner", List.of("partner"), List.of(shop)));
        String delivery = UUID.randomUUID().toString();

        other.get().uri("/v1/webhooks/{id}", id).exchange().expectStatus().isNotFound();
        other.get().uri("/v1/webhooks/{id}/deliveries", id).exchange().expectStatus().isNotFound();
        other.post().uri("/v1/webhooks/{id}/deliveries/{d}/redeliver", id, delivery).exchange().expectStatus().isNotFound();
        other.post().uri("/v1/webhooks/{id}/replay", id).contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("since", "2020-01-01T00:00:00Z")).exchange().expectStatus().isNotFound();
        other.post().uri("/v1/webhooks/{id}/rotate-secret", id).exchange().expectStatus().isNotFound();
        other.delete().uri("/v1/webhooks/{id}", id).exchange().expectStatus().isNotFound();
        other.get().uri("/v1/webhooks").exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(0);

        // still there, untouched, for its owner
        as(owner).get().uri("/v1/webhooks/{id}", id).exchange().expectStatus().isOk();
    }

    @Test
    void aPartnerCannotSubscribeToAChannelItIsNotGranted() {
        WebTestClient partner = as(issueToken("partner", List.of("partner"), List.of(unique("shop"))));

        partner.post().uri("/v1/webhooks").contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("url", "http://localhost:9/hooks", "events", List.of("order.*"), "channels", List.of(unique("shop"))))
                .exchange()
                .expectStatus().isForbidden();
    }

    private String placeOrderOfAnotherChannel() {
        String warehouse = unique("W");
        stock(warehouse, "SKU-1", 10);
        return new OrderFixtures(asAdmin(), as(channelToken()), warehouse).place(order(unique("PO"), warehouse, "SKU-1", 1));
    }

    private static EntityExchangeResult<byte[]> send(WebTestClient client, Call call, String id) {
        WebTestClient.RequestBodySpec request = client.method(call.method()).uri(call.path(), id);
        WebTestClient.RequestHeadersSpec<?> ready = call.body() == null ? request
                : request.contentType(MediaType.APPLICATION_JSON).bodyValue(call.body());
        return ready.exchange().expectBody().returnResult();
    }

    private static String body(EntityExchangeResult<byte[]> result) {
        return result.getResponseBodyContent() == null ? "" : new String(result.getResponseBodyContent())
                .replaceAll("\"instance\":\"[^\"]*\"", "");
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> walk(WebTestClient client, String path) {
        List<Map<String, Object>> all = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, Object> page = client.get().uri(path + (cursor == null ? "" : "&cursor=" + cursor)).exchange()
                    .expectStatus().isOk()
                    .expectBody(JSON).returnResult().getResponseBody();
            all.addAll((List<Map<String, Object>>) page.get("items"));
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);
        return all;
    }
}
