package dev.orderflow.orchestration.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.orchestration.support.DomainException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.test.StepVerifier;

class SsrfGuardTest {

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "0.0.0.0", "100.64.0.1",
            "::1", "fc00::1", "fe80::1", "224.0.0.1"})
    void internalAddressesAreRecognised(String address) throws UnknownHostException {
        assertThat(SsrfGuard.isInternal(InetAddress.getByName(address))).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "2606:4700::1111", "100.128.0.1"})
    void publicAddressesAreNot(String address) throws UnknownHostException {
        assertThat(SsrfGuard.isInternal(InetAddress.getByName(address))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/hook", "http://[::1]/hook", "http://169.254.169.254/latest/meta-data",
            "ftp://example.com/hook", "not a url", "http://user:pw@example.com/hook"})
    void refusedTargetsAre422(String url) {
        StepVerifier.create(new SsrfGuard(false).check(url))
                .expectErrorSatisfies(error -> assertThat(((DomainException) error).kind()).isEqualTo(DomainException.Kind.UNPROCESSABLE))
                .verify();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8080/hook", "http://localhost/hook"})
    void privateTargetsPassWhenAllowed(String url) {
        StepVerifier.create(new SsrfGuard(true).check(url)).expectNextCount(1).verifyComplete();
    }
}
