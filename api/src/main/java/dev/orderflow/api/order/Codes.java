package dev.orderflow.api.order;

/** What a warehouse code or SKU may look like: they end up in Redis keys and URLs. */
public final class Codes {

    public static final String PATTERN = "[A-Za-z0-9._/-]{1,64}";
    public static final String MESSAGE = "1 to 64 letters, digits, '.', '_', '/' or '-'";

    private Codes() {
    }
}
