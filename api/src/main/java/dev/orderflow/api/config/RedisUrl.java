package dev.orderflow.api.config;

import java.util.regex.Pattern;

/** {@code ORDERFLOW_REDIS_URL} as it may be shown: any password (or user and password) replaced. */
public final class RedisUrl {

    private static final Pattern USER_INFO = Pattern.compile("(://)[^@/,]*@");

    private RedisUrl() {
    }

    /** The URL (or comma-separated seed list) without credentials, for logs and the start-up report. */
    public static String redacted(String url) {
        return url == null ? null : USER_INFO.matcher(url).replaceAll("$1***@");
    }
}
