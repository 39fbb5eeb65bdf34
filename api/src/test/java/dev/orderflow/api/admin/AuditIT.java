package dev.orderflow.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.api.support.IntegrationTest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;

/** Admin actions land in the audit trail with who did them, in the action's transaction; admins read it. */
class AuditIT extends IntegrationTest {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    @Test
    void issuingAndRevokingAPrincipalAreAuditedWithTheAdminAsActorAndNoKey() {
        Map<String, Object> issued = asAdmin().post().uri("/v1/admin/principals")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", unique("ops"), "kind", "user", "roles", List.of("operator")))
                .exchange().expectStatus().isCreated()
                .expectBody(JSON).returnResult().getResponseBody();
        String id = (String) issued.get("id");
        asAdmin().delete().uri("/v1/admin/principals/{id}", id).exchange().expectStatus().isNoContent();

        List<Map<String, Object>> entries = entries(id);

        assertThat(entries).extracting(entry -> entry.get("action")).containsExactly("principal.issued", "principal.revoked");
        assertThat(entries).allSatisfy(entry -> {
            assertThat(entry.get("actorName")).isEqualTo("admin");
            assertThat(entry.get("actorId")).isNotNull();
            assertThat(entry.get("targetType")).isEqualTo("principal");
            assertThat(entry.get("createdAt")).isNotNull();
        });
        Map<?, ?> details = (Map<?, ?>) entries.get(0).get("details");
        assertThat(details.get("roles")).isEqualTo(List.of("operator"));
        assertThat(details.get("tokenHint")).isEqualTo(issued.get("tokenHint"));
        assertThat(entries.toString()).doesNotContain((String) issued.get("token"));
    }

    @Test
    void stockCountsReceiptsAndAdjustmentsAreAuditedByWhom() {
        String warehouse = unique("W");
        String clerk = issueToken("user", List.of("warehouse"), List.of());
        as(clerk).put().uri("/v1/inventory/{w}/SKU-1", warehouse)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("onHand", 10, "reason", "CYCLE_COUNT"))
                .exchange().expectStatus().isOk();
        as(clerk).post().uri("/v1/inventory/receipts")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("warehouse", warehouse, "lines", List.of(Map.of("sku", "SKU-1", "quantity", 5)), "reference", "ASN-1"))
                .exchange().expectStatus().isOk();
        as(clerk).post().uri("/v1/inventory/adjustments")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("warehouse", warehouse, "sku", "SKU-1", "delta", -3, "reason", "DAMAGED"))
                .exchange().expectStatus().isOk();

        List<Map<String, Object>> entries = entries(warehouse + "/SKU-1");

        assertThat(entries).extracting(entry -> entry.get("action")).containsExactly("stock.count", "stock.receipt", "stock.adjustment");
        assertThat(entries).extracting(entry -> entry.get("actorName")).doesNotContain("admin").containsOnly(entries.get(0).get("actorName"));
        assertThat(entries).extracting(entry -> (Object) ((Map<?, ?>) entry.get("details")).get("reason"))
                .containsExactly("CYCLE_COUNT", null, "DAMAGED");
        assertThat(((Map<?, ?>) entries.get(1).get("details")).get("reference")).isEqualTo("ASN-1");
        assertThat(((Map<?, ?>) entries.get(2).get("details")).get("delta")).isEqualTo(-3);
    }

    @Test
    void aRefusedActionLeavesNoAuditEntry() {
        String warehouse = unique("W");
        stock(warehouse, "SKU-1", 2);

        // taking on-hand below zero is refused: the change and its entry roll back together
        asAdmin().post().uri("/v1/inventory/adjustments")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("warehouse", warehouse, "sku", "SKU-1", "delta", -5, "reason", "DAMAGED"))
                .exchange().expectStatus().is4xxClientError();

        assertThat(entries(warehouse + "/SKU-1")).extracting(entry -> entry.get("action")).containsExactly("stock.count");
    }

    @Test
    void webhookSubscriptionsCreatedRotatedAndDeletedAreAuditedWithoutTheSecret() {
        String partner = issueToken("partner", List.of("partner"), List.of(unique("shop")));
        Map<String, Object> created = as(partner).post().uri("/v1/webhooks")
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("url", "http://localhost:9/hooks", "events", List.of("order.*")))
                .exchange().expectStatus().isCreated()
                .expectBody(JSON).returnResult().getResponseBody();
        String id = (String) created.get("id");
        Map<String, Object> rotated = as(partner).post().uri("/v1/webhooks/{id}/rotate-secret", id).exchange()
                .expectStatus().isOk().expectBody(JSON).returnResult().getResponseBody();
        as(partner).delete().uri("/v1/webhooks/{id}", id).exchange().expectStatus().isNoContent();

        List<Map<String, Object>> entries = entries(id);

        assertThat(entries).extracting(entry -> entry.get("action"))
                .containsExactly("webhook.created", "webhook.secret_rotated", "webhook.deleted");
        assertThat(((Map<?, ?>) entries.get(0).get("details")).get("url")).isEqualTo("http://localhost:9/hooks");
        assertThat(entries.toString()).doesNotContain((String) created.get("secret")).doesNotContain((String) rotated.get("secret"))
                .doesNotContain("whsec_");
    }

    @Test
    void theAdminKeyInstalledAtStartUpIsAudited() {
        List<Map<String, Object>> entries = walk("action=principal.admin_key_replaced", 50);

        assertThat(entries).isNotEmpty().allSatisfy(entry -> {
            assertThat(entry.get("actorName")).isEqualTo("orderflow");
            assertThat(entry.get("actorId")).isNull();
            assertThat(((Map<?, ?>) entry.get("details")).get("source")).isIn("configured", "generated");
        });
        assertThat(entries.toString()).doesNotContain(ADMIN_KEY);
    }

    @Test
    void theTrailIsCursorPagedWithoutRepeats() {
        String warehouse = unique("W");
        for (int i = 0; i < 5; i++) {
            stock(warehouse, "SKU-1", i + 1);
        }

        List<Map<String, Object>> onePerPage = walk("targetId=" + warehouse + "/SKU-1", 2);

        assertThat(onePerPage).hasSize(5);
        Set<Object> ids = new HashSet<>(onePerPage.stream().map(entry -> entry.get("id")).toList());
        assertThat(ids).hasSize(5);
        assertThat(onePerPage).extracting(entry -> (Object) ((Map<?, ?>) entry.get("details")).get("onHand")).containsExactly(1, 2, 3, 4, 5);
    }

    @Test
    void onlyAdminsReadTheTrail() {
        as(issueToken("user", List.of("operator", "warehouse", "credit", "approver"), List.of())).get().uri("/v1/admin/audit")
                .exchange()
                .expectStatus().isForbidden();
        http.get().uri("/v1/admin/audit").exchange().expectStatus().isUnauthorized();
    }

    private List<Map<String, Object>> entries(String targetId) {
        return walk("targetId=" + targetId, 500);
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> walk(String filter, int limit) {
        List<Map<String, Object>> all = new ArrayList<>();
        String cursor = null;
        do {
            Map<String, Object> page = asAdmin().get()
                    .uri("/v1/admin/audit?" + filter + "&limit=" + limit + (cursor == null ? "" : "&cursor=" + cursor))
                    .exchange()
                    .expectStatus().isOk()
                    .expectBody(JSON).returnResult().getResponseBody();
            all.addAll((List<Map<String, Object>>) page.get("items"));
            cursor = (String) page.get("nextCursor");
        } while (cursor != null);
        return all;
    }
}
