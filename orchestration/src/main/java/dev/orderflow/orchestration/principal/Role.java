package dev.orderflow.orchestration.principal;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a principal may do. Names in the API are the lower-case codes. */
public enum Role {
    /** Manages principals and may do what every other role does. */
    ADMIN,
    /** Posts and reads its own channel's orders. */
    CHANNEL,
    /** Subscribes to webhooks for the channels it is granted. */
    PARTNER,
    /** Creates orders, with discounts. */
    SALES,
    /** Approves discounts above the threshold. */
    APPROVER,
    /** Releases credit holds. */
    CREDIT,
    /** Receives and adjusts stock, confirms shipments. */
    WAREHOUSE,
    /** Works the exception queue: retry, cancel. */
    OPERATOR;

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Role> fromCode(String code) {
        return Arrays.stream(values()).filter(role -> role.code().equals(code)).findFirst();
    }
}
