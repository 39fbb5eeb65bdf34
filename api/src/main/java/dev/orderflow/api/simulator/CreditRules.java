package dev.orderflow.api.simulator;

import java.math.BigDecimal;

/**
 * The credit simulator's decisions. Deterministic, so that a demo or a test can ask for each
 * outcome by the customer it names: a customer id starting with {@code REJECT} is rejected; one
 * starting with {@code HOLD}, or an amount above the credit limit, is put on hold; anything else
 * is approved.
 */
final class CreditRules {

    /** What the credit system says about an order. */
    enum Decision {
        /** The order may go ahead. */
        APPROVED,
        /** A person in credit control must look at it first. */
        HOLD,
        /** The customer gets no credit for it. */
        REJECTED
    }

    /** The answer of {@code POST /credit-checks}. */
    record Verdict(Decision decision, String reason) {
    }

    static final String REJECT_PREFIX = "REJECT";
    static final String HOLD_PREFIX = "HOLD";

    private final BigDecimal creditLimit;

    CreditRules(BigDecimal creditLimit) {
        this.creditLimit = creditLimit;
    }

    Verdict decide(String customerId, BigDecimal amount) {
        if (customerId.startsWith(REJECT_PREFIX)) {
            return new Verdict(Decision.REJECTED, "Customer " + customerId + " is refused credit (the simulator rejects"
                    + " customer ids starting with " + REJECT_PREFIX + ").");
        }
        if (customerId.startsWith(HOLD_PREFIX)) {
            return new Verdict(Decision.HOLD, "Customer " + customerId + " is on credit hold (the simulator holds"
                    + " customer ids starting with " + HOLD_PREFIX + ").");
        }
        if (amount.compareTo(creditLimit) > 0) {
            return new Verdict(Decision.HOLD, "The amount " + amount.toPlainString() + " is above the credit limit "
                    + creditLimit.toPlainString() + ".");
        }
        return new Verdict(Decision.APPROVED, "The amount " + amount.toPlainString() + " is within the credit limit "
                + creditLimit.toPlainString() + ".");
    }
}
