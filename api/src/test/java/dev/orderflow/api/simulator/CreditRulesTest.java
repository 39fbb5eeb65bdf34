package dev.orderflow.api.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.api.simulator.CreditRules.Decision;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class CreditRulesTest {

    private final CreditRules rules = new CreditRules(new BigDecimal("10000.00"));

    @Test
    void anOrdinaryCustomerWithinTheLimitIsApproved() {
        CreditRules.Verdict verdict = rules.decide("C-100", new BigDecimal("37.50"));

        assertThat(verdict.decision()).isEqualTo(Decision.APPROVED);
        assertThat(verdict.reason()).contains("37.50").contains("10000.00");
    }

    @Test
    void anAmountExactlyAtTheLimitIsApproved() {
        assertThat(rules.decide("C-100", new BigDecimal("10000")).decision()).isEqualTo(Decision.APPROVED);
    }

    @Test
    void anAmountAboveTheLimitIsHeld() {
        CreditRules.Verdict verdict = rules.decide("C-100", new BigDecimal("10000.01"));

        assertThat(verdict.decision()).isEqualTo(Decision.HOLD);
        assertThat(verdict.reason()).contains("above the credit limit");
    }

    @Test
    void aCustomerIdStartingWithHoldIsHeldWhateverTheAmount() {
        assertThat(rules.decide("HOLD-7", new BigDecimal("1.00")).decision()).isEqualTo(Decision.HOLD);
    }

    @Test
    void aCustomerIdStartingWithRejectIsRejectedEvenAboveTheLimit() {
        // REJECT wins over HOLD: a refused customer is not worth a look from credit control
        CreditRules.Verdict verdict = rules.decide("REJECT-1", new BigDecimal("50000.00"));

        assertThat(verdict.decision()).isEqualTo(Decision.REJECTED);
        assertThat(verdict.reason()).contains("REJECT-1");
    }

    @Test
    void thePrefixesAreCaseSensitiveAndOnlyPrefixes() {
        assertThat(rules.decide("reject-1", BigDecimal.ONE).decision()).isEqualTo(Decision.APPROVED);
        assertThat(rules.decide("C-REJECT", BigDecimal.ONE).decision()).isEqualTo(Decision.APPROVED);
        assertThat(rules.decide("C-HOLD", BigDecimal.ONE).decision()).isEqualTo(Decision.APPROVED);
    }

    @Test
    void theLimitIsConfigurable() {
        CreditRules small = new CreditRules(new BigDecimal("100"));

        assertThat(small.decide("C-1", new BigDecimal("100.50")).decision()).isEqualTo(Decision.HOLD);
    }
}
