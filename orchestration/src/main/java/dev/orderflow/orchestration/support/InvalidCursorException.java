package dev.orderflow.orchestration.support;

/** A list cursor that Orderflow did not issue. */
public class InvalidCursorException extends DomainException {

    public InvalidCursorException(String cursor) {
        super(Kind.INVALID, "invalid-cursor", "Invalid cursor", "The cursor '" + cursor + "' was not issued by this list.");
    }
}
