package dev.orderflow.orchestration.order;

import static dev.orderflow.orchestration.order.OrderStatus.ACCEPTED;
import static dev.orderflow.orchestration.order.OrderStatus.BACKORDERED;
import static dev.orderflow.orchestration.order.OrderStatus.CANCELLED;
import static dev.orderflow.orchestration.order.OrderStatus.COMPLETED;
import static dev.orderflow.orchestration.order.OrderStatus.CREDIT_HOLD;
import static dev.orderflow.orchestration.order.OrderStatus.EXCEPTION;
import static dev.orderflow.orchestration.order.OrderStatus.PARTIALLY_SHIPPED;
import static dev.orderflow.orchestration.order.OrderStatus.PENDING_APPROVAL;
import static dev.orderflow.orchestration.order.OrderStatus.REJECTED;
import static dev.orderflow.orchestration.order.OrderStatus.RELEASED;
import static dev.orderflow.orchestration.order.OrderStatus.SHIPPED;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The order lifecycle's guard, checked against the contract's status table written out again here
 * by hand: every one of the 121 from/to pairs is either a move the lifecycle needs or refused.
 */
class OrderStatusTest {

    /** The moves the lifecycle makes, as the contract and the engine describe them. */
    private static final List<String> LEGAL = List.of(
            "ACCEPTED>PENDING_APPROVAL", "ACCEPTED>CREDIT_HOLD", "ACCEPTED>RELEASED", "ACCEPTED>REJECTED",
            "ACCEPTED>CANCELLED", "ACCEPTED>EXCEPTION",
            "BACKORDERED>ACCEPTED", "BACKORDERED>PENDING_APPROVAL", "BACKORDERED>CANCELLED", "BACKORDERED>EXCEPTION",
            "PENDING_APPROVAL>ACCEPTED", "PENDING_APPROVAL>CANCELLED",
            "CREDIT_HOLD>RELEASED", "CREDIT_HOLD>REJECTED", "CREDIT_HOLD>CANCELLED",
            "RELEASED>PARTIALLY_SHIPPED", "RELEASED>SHIPPED", "RELEASED>CANCELLED", "RELEASED>EXCEPTION",
            "PARTIALLY_SHIPPED>PARTIALLY_SHIPPED", "PARTIALLY_SHIPPED>SHIPPED", "PARTIALLY_SHIPPED>CANCELLED",
            "PARTIALLY_SHIPPED>EXCEPTION",
            "SHIPPED>COMPLETED", "SHIPPED>EXCEPTION",
            "CANCELLED>EXCEPTION",
            "EXCEPTION>ACCEPTED", "EXCEPTION>BACKORDERED", "EXCEPTION>RELEASED", "EXCEPTION>PARTIALLY_SHIPPED",
            "EXCEPTION>SHIPPED", "EXCEPTION>CANCELLED");

    @Test
    void everyPairIsAllowedExactlyWhenTheLifecycleNeedsIt() {
        List<String> allowed = new ArrayList<>();
        for (OrderStatus from : OrderStatus.values()) {
            for (OrderStatus to : OrderStatus.values()) {
                if (from.canMoveTo(to)) {
                    allowed.add(from + ">" + to);
                }
            }
        }
        assertThat(allowed).containsExactlyInAnyOrderElementsOf(LEGAL);
    }

    @Test
    void completedAndRejectedOrdersNeverMoveAgain() {
        for (OrderStatus to : OrderStatus.values()) {
            assertThat(COMPLETED.canMoveTo(to)).as("COMPLETED > %s", to).isFalse();
            assertThat(REJECTED.canMoveTo(to)).as("REJECTED > %s", to).isFalse();
        }
    }

    @Test
    void nothingGoesBackToBackorderedExceptARetryFromTheExceptionQueue() {
        Set<OrderStatus> into = EnumSet.noneOf(OrderStatus.class);
        for (OrderStatus from : OrderStatus.values()) {
            if (from.canMoveTo(BACKORDERED)) {
                into.add(from);
            }
        }
        assertThat(into).containsExactly(EXCEPTION);
    }

    @ParameterizedTest
    @EnumSource(OrderStatus.class)
    void onlyCompletedCancelledAndRejectedAreFinal(OrderStatus status) {
        assertThat(status.isFinal()).isEqualTo(status == COMPLETED || status == CANCELLED || status == REJECTED);
    }

    @Test
    void eachStatusIsAnnouncedByItsOwnEventType() {
        assertThat(ACCEPTED.eventType()).isEqualTo("order.accepted");
        assertThat(CREDIT_HOLD.eventType()).isEqualTo("order.credit_hold");
        assertThat(PARTIALLY_SHIPPED.eventType()).isEqualTo("order.partially_shipped");
        assertThat(PENDING_APPROVAL.eventType()).isEqualTo("order.pending_approval");
        assertThat(RELEASED.eventType()).isEqualTo("order.released");
        assertThat(SHIPPED.eventType()).isEqualTo("order.shipped");
    }
}
