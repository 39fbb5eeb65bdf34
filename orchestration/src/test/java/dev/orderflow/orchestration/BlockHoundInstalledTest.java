package dev.orderflow.orchestration;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import reactor.blockhound.BlockingOperationError;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** Guards the guard: if BlockHound were not installed, blocking calls on event loops would pass unseen. */
class BlockHoundInstalledTest {

    @Test
    void blockingOnANonBlockingThreadFails() {
        Mono<Long> blocking = Mono.delay(Duration.ofMillis(1), Schedulers.parallel())
                // parking a thread is the essence of blocking: what BlockHound must refuse on a non-blocking thread
                .doOnNext(tick -> LockSupport.parkNanos(1_000));

        StepVerifier.create(blocking)
                .expectErrorSatisfies(error -> assertThat(error).isInstanceOf(BlockingOperationError.class))
                .verify(Duration.ofSeconds(5));
    }
}
