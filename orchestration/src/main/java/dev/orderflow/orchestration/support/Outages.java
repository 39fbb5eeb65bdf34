package dev.orderflow.orchestration.support;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import io.r2dbc.spi.R2dbcTransientException;
import java.io.IOException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;

/**
 * Whether a failure is a dependency being away (PostgreSQL or Redis down, unreachable or too slow)
 * rather than something wrong with the work itself: the first is worth a 503 and a retry, the
 * second is not.
 */
public final class Outages {

    private Outages() {
    }

    public static boolean isOutage(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            if (cause instanceof R2dbcTransientException || cause instanceof R2dbcNonTransientResourceException
                    || cause instanceof TransientDataAccessException || cause instanceof DataAccessResourceFailureException
                    || cause instanceof RedisConnectionException || cause instanceof RedisCommandTimeoutException
                    // a connection refused, reset or closed under a command: Lettuce hands the
                    // in-flight command the bare IOException (or wraps it in a RedisException)
                    || cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }
}
