package dev.orderflow.orchestration.step;

/** What a step does, and which downstream it calls. */
public enum StepKind {
    /** Ask for a credit decision: approve, hold or reject. */
    CREDIT_CHECK(Downstream.CREDIT),
    /** Ask the warehouse to pick and ship reserved quantities. */
    FULFILLMENT(Downstream.FULFILLMENT),
    /** Withdraw a fulfillment request (compensation of a cancel). */
    CANCEL_FULFILLMENT(Downstream.FULFILLMENT),
    /** Invoice quantities (all at release, or what shipped). */
    INVOICE(Downstream.INVOICING),
    /** Credit what was invoiced (compensation of a cancel). */
    CREDIT_NOTE(Downstream.INVOICING);

    private final Downstream downstream;

    StepKind(Downstream downstream) {
        this.downstream = downstream;
    }

    public Downstream downstream() {
        return downstream;
    }
}
