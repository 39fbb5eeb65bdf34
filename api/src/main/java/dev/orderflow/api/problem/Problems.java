package dev.orderflow.api.problem;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;

/** The problems that many places answer alike. */
public final class Problems {

    private Problems() {
    }

    public static Problem unauthorized(String detail) {
        return Problem.of(HttpStatus.UNAUTHORIZED, "unauthorized", "Unauthorized", detail)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    }

    public static Problem forbidden() {
        return Problem.of(HttpStatus.FORBIDDEN, "forbidden", "Forbidden",
                "Your principal does not hold a role that may do this.");
    }

    public static Problem notFound(String detail) {
        return Problem.of(HttpStatus.NOT_FOUND, "not-found", "Not found", detail);
    }
}
