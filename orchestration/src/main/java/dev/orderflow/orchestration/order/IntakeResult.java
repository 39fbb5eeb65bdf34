package dev.orderflow.orchestration.order;

import java.util.UUID;

/** The answer intake gives a channel. */
public sealed interface IntakeResult {

    /** A new order, stored; {@code response} is the body that was stored for replays. */
    record Created(Order order, String response) implements IntakeResult {
    }


    /** The same request came again with the same key: the stored answer, as it was. */
    record Replayed(int status, String response, UUID orderId) implements IntakeResult {
    }
}
