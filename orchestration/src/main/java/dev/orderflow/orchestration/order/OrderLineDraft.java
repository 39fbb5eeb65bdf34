package dev.orderflow.orchestration.order;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** One line as the channel asked for it. */
public record OrderLineDraft(int lineNo, String sku, int quantity, BigDecimal unitPrice, BigDecimal discountPercent) {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    /** Quantity x price less the discount, to the cent. */
    public BigDecimal amount() {
        BigDecimal gross = unitPrice.multiply(BigDecimal.valueOf(quantity));
        BigDecimal net = gross.multiply(HUNDRED.subtract(discountPercent)).divide(HUNDRED);
        return net.setScale(2, RoundingMode.HALF_UP);
    }
}
