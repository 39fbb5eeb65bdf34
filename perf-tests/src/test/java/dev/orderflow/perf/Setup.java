package dev.orderflow.perf;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Prepares a running Orderflow for a simulation over its own HTTP API: a channel principal and stock. */
final class Setup {

    private static final Pattern TOKEN = Pattern.compile("\"token\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpClient client = HttpClient.newHttpClient();
    private final String baseUrl;
    private final String adminKey;

    Setup(String baseUrl, String adminKey) {
        this.baseUrl = baseUrl;
        this.adminKey = adminKey;
    }

    /** Issues a channel principal and answers its token. */
    String channelToken(String channel) {
        String body = "{\"name\":\"perf-" + channel + "\",\"kind\":\"channel\",\"roles\":[\"channel\"],\"channels\":[\"" + channel + "\"]}";
        String answer = send("POST", "/v1/admin/principals", body, 201);
        Matcher token = TOKEN.matcher(answer);
        if (!token.find()) {
            throw new IllegalStateException("no token in " + answer);
        }
        return token.group(1);
    }

    void stock(String warehouse, String sku, long onHand) {
        send("PUT", "/v1/inventory/" + warehouse + "/" + sku, "{\"onHand\":" + onHand + ",\"reason\":\"CYCLE_COUNT\"}", 200);
    }

    private String send(String method, String path, String body, int expected) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Authorization", "Bearer " + adminKey)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != expected) {
                throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": " + response.body());
            }
            return response.body();
        } catch (IOException e) {
            throw new IllegalStateException("Orderflow not reachable at " + baseUrl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
