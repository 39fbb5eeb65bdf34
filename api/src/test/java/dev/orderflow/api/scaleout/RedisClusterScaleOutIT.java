package dev.orderflow.api.scaleout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Two instances on one PostgreSQL and a Redis Cluster of three masters, {@code ORDERFLOW_REDIS_URL}
 * a seed list: the scale-out checks with one warehouse on each master (every key of a warehouse
 * shares its hash tag, so each reservation script runs on one node, atomically), then the one Redis
 * feature that is not keyed, publish/subscribe, across instances.
 */
class RedisClusterScaleOutIT extends ScaleOutScenario {

    @Override
    LocalRedis startRedis() {
        return LocalRedis.cluster();
    }

    @Override
    int instanceCount() {
        return 2;
    }

    @Override
    List<String> warehouses() {
        List<String> oneOnEachMaster = new ArrayList<>();
        IntStream.range(0, 1000).mapToObj(i -> "W-" + i)
                .filter(warehouse -> oneOnEachMaster.stream().noneMatch(taken -> redis.nodeOf(key(taken)) == redis.nodeOf(key(warehouse))))
                .limit(3)
                .forEach(oneOnEachMaster::add);
        assertThat(oneOnEachMaster).hasSize(3);
        return oneOnEachMaster;
    }

    private static String key(String warehouse) {
        return "{wh:" + warehouse + "}:avail";
    }

    @Test
    @Order(2)
    void aKeyRevokedOnOneInstanceStopsWorkingOnTheOtherAtOnce() {
        OrderflowProcess first = instances.get(0);
        OrderflowProcess second = instances.get(1);
        Api.Answer issued = Api.post(first, "/v1/admin/principals", OrderflowProcess.ADMIN_KEY,
                Map.of("name", "revoked-shop", "kind", "channel", "roles", List.of("channel"), "channels", List.of("shop-revoked")));
        String token = issued.string("token");
        // the second instance now has the key in its cache (kept 30 s)
        assertThat(Api.get(second, "/v1/orders?limit=1", token).status()).isEqualTo(200);

        assertThat(Api.send(first, "DELETE", "/v1/admin/principals/" + issued.string("id"), OrderflowProcess.ADMIN_KEY, null, Map.of())
                .status()).isEqualTo(204);

        // only the broadcast, published through one master and delivered through another, can make it this quick
        await("revocation seen by the other instance").atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> Api.get(second, "/v1/orders?limit=1", token).status() == 401);

        // production logs: one JSON object per line, the request's trace id on the audit line
        String revokedLine = "Principal " + issued.string("id") + " revoked";
        await("audit line logged").atMost(Duration.ofSeconds(5)).until(() -> first.logText().contains(revokedLine));
        Map<?, ?> audit = first.logText().lines()
                .filter(line -> line.contains(revokedLine))
                .map(line -> JSON.readValue(line, Map.class))
                .findFirst().orElseThrow();
        assertThat(audit.get("message")).isEqualTo(revokedLine);
        assertThat((String) audit.get("traceId")).matches("[0-9a-f]{32}");
        assertThat((String) audit.get("spanId")).matches("[0-9a-f]{16}");
    }

    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();
}
