package dev.orderflow.orchestration.support;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import io.r2dbc.spi.R2dbcNonTransientResourceException;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import org.junit.jupiter.api.Test;

class OutagesTest {

    @Test
    void aRedisConnectionResetUnderACommandIsAnOutage() {
        // what Lettuce completes the in-flight command with when Redis resets the connection
        assertThat(Outages.isOutage(new IOException("Connection reset by peer"))).isTrue();
        assertThat(Outages.isOutage(new RedisException(new IOException("Connection reset by peer")))).isTrue();
        assertThat(Outages.isOutage(new RedisException("closed", new ClosedChannelException()))).isTrue();
    }

    @Test
    void dependenciesAwayOrTooSlowAreOutages() {
        assertThat(Outages.isOutage(new RedisConnectionException("Unable to connect"))).isTrue();
        assertThat(Outages.isOutage(new RedisCommandTimeoutException("timed out"))).isTrue();
        assertThat(Outages.isOutage(new IllegalStateException(new ConnectException("refused")))).isTrue();
        assertThat(Outages.isOutage(new R2dbcNonTransientResourceException("connection closed"))).isTrue();
    }

    @Test
    void mistakesInTheWorkItselfAreNot() {
        assertThat(Outages.isOutage(new IllegalArgumentException("bad quantity"))).isFalse();
        assertThat(Outages.isOutage(new RedisException("ERR Error running script"))).isFalse();
    }
}
