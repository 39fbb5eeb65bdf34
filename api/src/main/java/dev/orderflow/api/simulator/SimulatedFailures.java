package dev.orderflow.api.simulator;

import dev.orderflow.orchestration.support.DomainException;
import org.springframework.http.HttpStatus;
import org.springframework.web.server.ResponseStatusException;

/**
 * The failures a simulator answers on purpose, as problems: 503 with {@code Retry-After} in an
 * outage, 500 for a call the error rate picked. They carry no stack trace: they are expected, and
 * the problem handler logs every 5xx.
 */
final class SimulatedFailures {

    private SimulatedFailures() {
    }

    static RuntimeException outage(SimulatedSystem system) {
        return new Outage("The " + system.path() + " simulator is in a simulated outage; nothing of this call was"
                + " kept. Try again later.");
    }

    static RuntimeException failure(SimulatedSystem system, double errorRate) {
        return new Failure("The " + system.path() + " simulator failed this call on purpose (error rate " + errorRate
                + "); nothing of it was kept. Try again.");
    }

    private static final class Outage extends DomainException {

        Outage(String detail) {
            super(Kind.UNAVAILABLE, "simulated-outage", "Service unavailable", detail);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    private static final class Failure extends ResponseStatusException {

        Failure(String detail) {
            super(HttpStatus.INTERNAL_SERVER_ERROR, detail);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
