package dev.orderflow.orchestration.principal;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What sort of caller a principal is. */
public enum PrincipalKind {
    /** A sales channel's connector: a web shop, a marketplace, an EDI gateway. */
    CHANNEL,
    /** A trading partner that follows orders through webhooks. */
    PARTNER,
    /** A person: inside sales, an approver, an operator. */
    USER,
    /** The bootstrap administrator. */
    ADMIN;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<PrincipalKind> fromCode(String code) {
        return Arrays.stream(values()).filter(kind -> kind.code().equals(code)).findFirst();
    }
}
