package dev.orderflow.api.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedisUrlTest {

    @Test
    void passwordsAreReplacedWhereverTheyAre() {
        assertThat(RedisUrl.redacted("redis://:s3cret@cache:6379/0")).isEqualTo("redis://***@cache:6379/0");
        assertThat(RedisUrl.redacted("rediss://app:s3cret@cache:6380")).isEqualTo("rediss://***@cache:6380");
        assertThat(RedisUrl.redacted("redis://a:pw1@n1:7000,redis://a:pw2@n2:7001"))
                .isEqualTo("redis://***@n1:7000,redis://***@n2:7001")
                .doesNotContain("pw1", "pw2");
    }

    @Test
    void urlsWithoutCredentialsAreUnchanged() {
        assertThat(RedisUrl.redacted("redis://localhost:6379")).isEqualTo("redis://localhost:6379");
        assertThat(RedisUrl.redacted("n1:7000,n2:7001")).isEqualTo("n1:7000,n2:7001");
    }
}
