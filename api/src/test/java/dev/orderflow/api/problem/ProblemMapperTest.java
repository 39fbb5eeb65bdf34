package dev.orderflow.api.problem;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisException;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

class ProblemMapperTest {

    private final ProblemMapper mapper = new ProblemMapper();

    @Test
    void aRedisConnectionResetDuringARequestIs503WithRetryAfterNot500() {
        // Lettuce completes the command in flight when Redis resets the connection with the bare IOException
        for (Throwable error : new Throwable[] {new IOException("Connection reset by peer"),
                new RedisException(new IOException("Connection reset by peer"))}) {
            Problem problem = mapper.toProblem(error);

            assertThat(problem.status().value()).as(error.toString()).isEqualTo(503);
            assertThat(problem.headers().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("2");
        }
    }

    @Test
    void aFailureOfOurOwnStays500() {
        assertThat(mapper.toProblem(new IllegalStateException("bug")).status().value()).isEqualTo(500);
    }
}
