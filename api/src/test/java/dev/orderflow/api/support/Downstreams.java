package dev.orderflow.api.support;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * The credit, fulfillment and invoicing systems for the integration tests: one WireMock server per
 * test JVM, over real HTTP, answering as a healthy system would until a test says otherwise.
 */
public final class Downstreams {

    private static final WireMockServer SERVER = start();

    private Downstreams() {
    }

    public static WireMockServer server() {
        return SERVER;
    }

    public static String baseUrl(String system) {
        return SERVER.baseUrl() + "/" + system;
    }

    /** Healthy answers: credit approves, fulfillment and invoicing accept. */
    public static void healthy() {
        SERVER.resetAll();
        SERVER.stubFor(post(urlPathEqualTo("/credit/credit-checks"))
                .willReturn(okJson("{\"decision\":\"APPROVED\",\"reason\":\"within limit\"}")));
        SERVER.stubFor(post(urlPathEqualTo("/fulfillment/fulfillment-requests"))
                .willReturn(aResponse().withStatus(202).withHeader("Content-Type", "application/json")
                        .withBody("{\"requestId\":\"{{request.headers.Idempotency-Key}}\"}").withTransformers("response-template")));
        SERVER.stubFor(post(urlMatching("/fulfillment/fulfillment-requests/.*/cancel"))
                .willReturn(okJson("{\"cancelled\":true}")));
        SERVER.stubFor(post(urlPathEqualTo("/invoicing/invoices"))
                .willReturn(aResponse().withStatus(201).withHeader("Content-Type", "application/json")
                        .withBody("{\"invoiceId\":\"INV-{{request.headers.Idempotency-Key}}\"}").withTransformers("response-template")));
    }

    private static WireMockServer start() {
        WireMockServer server = new WireMockServer(options().dynamicPort().globalTemplating(false).containerThreads(32)
                .asynchronousResponseEnabled(true));
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "wiremock-stop"));
        return server;
    }

    static {
        healthy();
    }
}
