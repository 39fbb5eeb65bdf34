package dev.orderflow.orchestration.support;

import java.util.List;

/** A request broke field-level rules; every broken rule is listed, not only the first. */
public class ValidationException extends DomainException {

    private final List<FieldError> errors;

    public ValidationException(Kind kind, String detail, List<FieldError> errors) {
        super(kind, kind == Kind.INVALID ? "validation-failed" : "unprocessable", "Validation failed", detail);
        this.errors = List.copyOf(errors);
    }

    public List<FieldError> errors() {
        return errors;
    }
}
