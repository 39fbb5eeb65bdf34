package dev.orderflow.orchestration.support;

/** One thing wrong with one field of a request, as a client sees it in a problem's {@code errors}. */
public record FieldError(String field, String message) {
}
