package dev.orderflow.api.problem;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

class ProblemTest {

    @Test
    void anExtensionNeverReplacesAMemberOfTheRfc() {
        Problem problem = Problem.of(HttpStatus.CONFLICT, "not-shippable", "Not released", "Order 1 is CANCELLED.")
                .with("status", "CANCELLED").with("type", "x").with("orderStatus", "CANCELLED");

        assertThat(problem.body("/v1/orders/1/shipments"))
                .containsEntry("status", 409)
                .containsEntry("type", "https://orderflow.dev/problems/not-shippable")
                .containsEntry("orderStatus", "CANCELLED")
                .containsKeys("title", "detail", "instance");
    }
}
