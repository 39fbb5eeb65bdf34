package dev.orderflow.orchestration.step;

/** Where a step is. */
public enum StepState {
    /** Waiting for its next attempt time. */
    PENDING,
    /** Claimed by a worker under a lease. */
    RUNNING,
    /** Done. */
    SUCCEEDED,
    /** Failed for good (a 4xx, or attempts used up): its order is in the exception queue. */
    FAILED,
    /** No longer needed (its order was cancelled first). */
    CANCELLED
}
