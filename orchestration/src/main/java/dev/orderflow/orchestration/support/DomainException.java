package dev.orderflow.orchestration.support;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A rule of the domain said no. Carries what a client needs to act on it: a kind (which the API
 * maps to an HTTP status), a stable problem type slug, a title, a detail and extra properties.
 */
public class DomainException extends RuntimeException {

    /** What went wrong, in the terms a client acts on. */
    public enum Kind {
        /** The request is malformed (400). */
        INVALID,
        /** The caller may not do this (403). */
        FORBIDDEN,
        /** No such resource, or not the caller's (404). */
        NOT_FOUND,
        /** The resource's state forbids it, or it already exists (409). */
        CONFLICT,
        /** Well-formed, but breaks a business rule (422). */
        UNPROCESSABLE,
        /** More than the service takes in one request (413). */
        TOO_LARGE,
        /** A dependency is down; try again later (503). */
        UNAVAILABLE
    }

    private final Kind kind;
    private final String type;
    private final String title;
    private final Map<String, Object> properties = new LinkedHashMap<>();

    public DomainException(Kind kind, String type, String title, String detail) {
        super(detail);
        this.kind = kind;
        this.type = type;
        this.title = title;
    }

    public DomainException(Kind kind, String type, String title, String detail, Throwable cause) {
        super(detail, cause);
        this.kind = kind;
        this.type = type;
        this.title = title;
    }

    /** Adds a property to the problem a client sees (for example the id of an existing order). */
    public DomainException with(String name, Object value) {
        properties.put(name, value);
        return this;
    }

    public Kind kind() {
        return kind;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public Map<String, Object> properties() {
        return Collections.unmodifiableMap(properties);
    }
}
