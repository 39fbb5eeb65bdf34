package dev.orderflow.api.problem;

import dev.orderflow.orchestration.support.DomainException;
import dev.orderflow.orchestration.support.FieldError;
import dev.orderflow.orchestration.support.Outages;
import dev.orderflow.orchestration.support.ValidationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.core.codec.DecodingException;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.web.bind.support.WebExchangeBindException;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.server.MethodNotAllowedException;
import org.springframework.web.server.NotAcceptableStatusException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.server.ServerWebInputException;
import org.springframework.web.server.UnsupportedMediaTypeStatusException;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.StreamConstraintsException;

/**
 * Decides what problem an error is. Client mistakes become 4xx with a detail the client can act
 * on; a dependency that is down is 503 with {@code Retry-After}; only what is truly ours is 500,
 * and its detail says nothing about our insides.
 */
public class ProblemMapper {

    static final Duration RETRY_AFTER_OUTAGE = Duration.ofSeconds(2);

    private static final Map<DomainException.Kind, HttpStatus> STATUS_BY_KIND = Map.of(
            DomainException.Kind.INVALID, HttpStatus.BAD_REQUEST,
            DomainException.Kind.FORBIDDEN, HttpStatus.FORBIDDEN,
            DomainException.Kind.NOT_FOUND, HttpStatus.NOT_FOUND,
            DomainException.Kind.CONFLICT, HttpStatus.CONFLICT,
            DomainException.Kind.UNPROCESSABLE, HttpStatus.UNPROCESSABLE_CONTENT,
            DomainException.Kind.TOO_LARGE, HttpStatus.CONTENT_TOO_LARGE,
            DomainException.Kind.UNAVAILABLE, HttpStatus.SERVICE_UNAVAILABLE);

    public Problem toProblem(Throwable error) {
        if (error instanceof DomainException domain) {
            return fromDomain(domain);
        }
        if (error instanceof WebExchangeBindException binding) {
            return invalid("The request has invalid fields.", binding.getFieldErrors().stream()
                    .map(field -> new FieldError(field.getField(), field.getDefaultMessage()))
                    .toList());
        }
        if (error instanceof HandlerMethodValidationException validation) {
            return invalid("The request has invalid parameters.", parameterErrors(validation));
        }
        if (error instanceof MethodNotAllowedException notAllowed) {
            return methodNotAllowed(notAllowed);
        }
        if (error instanceof UnsupportedMediaTypeStatusException unsupported) {
            return Problem.of(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type",
                    "Content type " + unsupported.getContentType() + " is not accepted here; use "
                            + unsupported.getSupportedMediaTypes() + ".");
        }
        if (error instanceof NotAcceptableStatusException) {
            return Problem.of(HttpStatus.NOT_ACCEPTABLE, "not-acceptable", "Not acceptable",
                    "This resource cannot be represented in the media type the Accept header asks for.");
        }
        if (error instanceof ServerWebInputException input) {
            return unreadable(input);
        }
        if (error instanceof ResponseStatusException status) {
            return fromStatus(status);
        }
        if (error instanceof AuthenticationException) {
            return Problems.unauthorized("A valid bearer token is required.");
        }
        if (error instanceof AccessDeniedException) {
            return Problems.forbidden();
        }
        if (Outages.isOutage(error)) {
            return Problem.of(HttpStatus.SERVICE_UNAVAILABLE, "dependency-unavailable", "Service unavailable",
                    "A dependency of Orderflow is unavailable; nothing of this request was kept. Try again shortly.")
                    .retryAfter(RETRY_AFTER_OUTAGE);
        }
        return Problem.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "Orderflow failed to handle this request; the error is logged.");
    }

    private static Problem fromDomain(DomainException domain) {
        HttpStatus status = STATUS_BY_KIND.get(domain.kind());
        Problem problem = Problem.of(status, domain.type(), domain.title(), domain.getMessage());
        domain.properties().forEach(problem::with);
        if (domain instanceof ValidationException validation) {
            problem.with("errors", validation.errors());
        }
        if (status == HttpStatus.SERVICE_UNAVAILABLE) {
            problem.retryAfter(RETRY_AFTER_OUTAGE);
        }
        return problem;
    }

    private static Problem invalid(String detail, List<FieldError> errors) {
        return Problem.of(HttpStatus.BAD_REQUEST, "validation-failed", "Validation failed", detail).with("errors", errors);
    }

    private static List<FieldError> parameterErrors(HandlerMethodValidationException validation) {
        List<FieldError> errors = new ArrayList<>();
        validation.getParameterValidationResults().forEach(result -> result.getResolvableErrors().forEach(
                resolvable -> errors.add(new FieldError(result.getMethodParameter().getParameterName(),
                        resolvable.getDefaultMessage()))));
        return errors;
    }

    private static Problem methodNotAllowed(MethodNotAllowedException notAllowed) {
        String allowed = notAllowed.getSupportedMethods().stream().map(HttpMethod::name).sorted()
                .collect(Collectors.joining(", "));
        return Problem.of(HttpStatus.METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed",
                        notAllowed.getHttpMethod() + " is not allowed here; allowed: " + allowed + ".")
                .header(HttpHeaders.ALLOW, allowed);
    }

    private static Problem unreadable(ServerWebInputException input) {
        Throwable cause = input.getCause();
        if (cause instanceof DataBufferLimitException || (cause != null && cause.getCause() instanceof DataBufferLimitException)) {
            return Problem.of(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", "Payload too large",
                    "The request body is larger than this endpoint accepts.");
        }
        if (cause instanceof DecodingException decoding) {
            return Problem.of(HttpStatus.BAD_REQUEST, "malformed-body", "Malformed request body", describe(decoding));
        }
        String detail = input.getReason() != null ? input.getReason() : "The request could not be read.";
        return Problem.of(HttpStatus.BAD_REQUEST, "bad-request", "Bad request", detail);
    }

    /** Says where the body went wrong (a JSON path), without Jackson's internals or our class names. */
    private static String describe(DecodingException decoding) {
        Throwable cause = decoding.getCause();
        if (cause instanceof StreamConstraintsException) {
            // Jackson's message names its own settings; say what the client can change
            return "The request body nests deeper or has longer numbers than Orderflow reads (see the API's request limits).";
        }
        if (cause instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (JacksonException.Reference reference : jackson.getPath()) {
                if (reference.getPropertyName() != null) {
                    path.append(path.isEmpty() ? "" : ".").append(reference.getPropertyName());
                } else if (reference.getIndex() >= 0) {
                    path.append('[').append(reference.getIndex()).append(']');
                }
            }
            if (cause instanceof ClientMessage message) {
                return "The request body is not accepted at '" + path + "': " + message.clientMessage();
            }
            return "The request body has a value of the wrong type or shape at '" + path + "'.";
        }
        return "The request body is not valid JSON.";
    }

    private static Problem fromStatus(ResponseStatusException status) {
        HttpStatus code = HttpStatus.resolve(status.getStatusCode().value());
        if (code == HttpStatus.NOT_FOUND) {
            return Problems.notFound("No resource at this path.");
        }
        if (code == HttpStatus.CONTENT_TOO_LARGE) {
            return Problem.of(code, "payload-too-large", "Payload too large",
                    "The request body is larger than this endpoint accepts.");
        }
        String title = code != null ? code.getReasonPhrase() : "Error";
        String slug = title.toLowerCase(java.util.Locale.ROOT).replace(' ', '-');
        String detail = status.getReason() != null ? status.getReason() : title;
        return Problem.of(status.getStatusCode(), slug, title, detail);
    }
}
