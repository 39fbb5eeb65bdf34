package dev.orderflow.api.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import tools.jackson.databind.json.JsonMapper;

/** What every refusal must look like: an RFC 9457 problem that agrees with the HTTP status and shows nothing of our insides. */
public final class ProblemAssertions {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ProblemAssertions() {
    }

    /**
     * Any answer to bad input: a 2xx (the input was valid after all) or a 4xx problem; never a 5xx.
     *
     * @return whether the answer was a 2xx
     */
    public static boolean assertAcceptedOrProblem(int status, String contentType, String body) {
        assertThat(status).as("status of %s", body).isBetween(200, 499);
        assertThat(body).as("no stack trace").doesNotContain("\tat ", "Exception", "dev.orderflow.", "java.lang.");
        if (status < 300) {
            return true;
        }
        assertProblem(status, contentType, body);
        return false;
    }

    /** {@link #assertAcceptedOrProblem(int, String, String)} of an exchange's answer, its body read as UTF-8. */
    public static boolean assertAcceptedOrProblem(EntityExchangeResult<byte[]> answer) {
        String body = answer.getResponseBody() == null ? "" : new String(answer.getResponseBody(), StandardCharsets.UTF_8);
        return assertAcceptedOrProblem(answer.getStatus().value(), answer.getResponseHeaders().getFirst(HttpHeaders.CONTENT_TYPE), body);
    }

    public static void assertProblem(int status, String contentType, String body) {
        assertThat(contentType).as("content type of %s %s", status, body).isNotNull();
        assertThat(MediaType.parseMediaType(contentType).isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .as("content type %s of %s %s", contentType, status, body).isTrue();
        Map<?, ?> problem = JSON.readValue(body, Map.class);
        assertThat(problem.get("status")).as("problem status of %s", body).isEqualTo(status);
        assertThat(problem.get("title")).as("problem title of %s", body).isNotNull();
    }
}
