package dev.orderflow.api.ops;

import dev.orderflow.api.support.IntegrationTest;
import org.junit.jupiter.api.Test;

class HealthIT extends IntegrationTest {

    @Test
    void healthIsUpWithPostgresAndRedis() {
        http.get().uri("/actuator/health/readiness").exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.status").isEqualTo("UP")
                .jsonPath("$.components.r2dbc.status").isEqualTo("UP")
                .jsonPath("$.components.redis.status").isEqualTo("UP");
    }
}
