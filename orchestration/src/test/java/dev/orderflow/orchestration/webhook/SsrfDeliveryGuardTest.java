package dev.orderflow.orchestration.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.test.StepVerifier;

/**
 * The delivery-time check on what a name resolves to, over a real connection: {@code localhost}
 * resolves to a loopback address, which a guard without private targets refuses before sending.
 */
class SsrfDeliveryGuardTest {

    private final AtomicInteger received = new AtomicInteger();
    private DisposableServer receiver;

    @BeforeEach
    void receiver() {
        receiver = HttpServer.create().host("127.0.0.1").port(0)
                .handle((request, response) -> {
                    received.incrementAndGet();
                    return response.status(204).send();
                })
                .bindNow();
    }

    @AfterEach
    void stop() {
        receiver.disposeNow();
    }

    @Test
    void aNameThatResolvesToLoopbackIsRefusedBeforeAnythingIsSent() {
        HttpClient client = new SsrfGuard(false).guard(HttpClient.create());

        StepVerifier.create(post(client))
                .expectErrorSatisfies(error -> assertThat(rootCause(error))
                        .isInstanceOf(SsrfGuard.ForbiddenTargetException.class)
                        .hasMessageContaining("127.0.0.1"))
                .verify(Duration.ofSeconds(10));
        assertThat(received.get()).isZero();
    }

    @Test
    void withPrivateTargetsAllowedTheSameNameIsDelivered() {
        HttpClient client = new SsrfGuard(true).guard(HttpClient.create());

        StepVerifier.create(post(client)).expectNext(204).verifyComplete();
        assertThat(received.get()).isOne();
    }

    @Test
    void addressesWrittenIntoTheUrlAreCheckedWithoutALookup() {
        assertThat(new SsrfGuard(false).refusedTarget("http://10.0.0.7/hook")).isPresent();
        assertThat(new SsrfGuard(false).refusedTarget("http://[::1]:8080/hook")).isPresent();
        assertThat(new SsrfGuard(true).refusedTarget("http://10.0.0.7/hook")).isEmpty();
        // link-local (cloud metadata) is refused even where private targets are allowed
        assertThat(new SsrfGuard(true).refusedTarget("http://169.254.169.254/latest/meta-data")).isPresent();
        assertThat(new SsrfGuard(false).refusedTarget("https://partner.example/hook")).isEmpty();
        assertThat(new SsrfGuard(false).refusedTarget("http://93.184.216.34/hook")).isEmpty();
    }

    private Mono<Integer> post(HttpClient client) {
        return client.post()
                .uri("http://localhost:" + receiver.port() + "/hook")
                .send(Mono.empty())
                .response()
                .map(response -> response.status().code());
    }

    private static Throwable rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
