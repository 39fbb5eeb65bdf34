package dev.orderflow.api.security;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static dev.orderflow.api.support.OrderflowClient.order;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.orderflow.api.support.IntegrationTest;
import dev.orderflow.api.support.OrderflowClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * JWT bearer tokens from a configured issuer, beside API keys. The identity provider is a WireMock
 * serving OpenID discovery and a JWK set of a local RSA key, over real HTTP.
 */
class JwtIT extends IntegrationTest {

    private static final WireMockServer IDP = new WireMockServer(options().dynamicPort());
    private static final RSAKey KEY = rsaKey("idp-key-1");
    /** Same key id, other key material: what a forger would sign with. */
    private static final RSAKey FORGED = rsaKey("idp-key-1");
    private static final String AUDIENCE = "orderflow";

    static {
        IDP.start();
        IDP.stubFor(get(urlEqualTo("/.well-known/openid-configuration")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody("{\"issuer\": \"" + issuer() + "\", \"jwks_uri\": \"" + issuer() + "/jwks\"}")));
        IDP.stubFor(get(urlEqualTo("/jwks")).willReturn(aResponse()
                .withHeader("Content-Type", "application/json")
                .withBody(new JWKSet(KEY.toPublicJWK()).toString())));
    }

    @DynamicPropertySource
    static void jwt(DynamicPropertyRegistry registry) {
        registry.add("orderflow.jwt.issuer-uri", JwtIT::issuer);
        registry.add("orderflow.jwt.audience", () -> AUDIENCE);
        // a context of its own: only the shared test context may run workers
        registry.add("orderflow.workers.enabled", () -> "false");
    }

    @AfterAll
    static void stopIdp() {
        IDP.stop();
    }

    private static String issuer() {
        return "http://localhost:" + IDP.port();
    }

    @Test
    void aValidTokenActsWithItsRolesAndChannels() {
        String warehouse = unique("W");
        stock(warehouse, "SKU-1", 5);
        String channel = unique("shop");
        String token = token(KEY, claims("alice", List.of("channel"), List.of(channel)).build());
        String externalRef = unique("PO");

        int status = OrderflowClient.post(as(token), "k-" + externalRef, order(externalRef, warehouse, "SKU-1", 1)).getStatus().value();

        assertThat(status).isEqualTo(201);
        as(token).get().uri("/v1/orders?externalRef={ref}", externalRef).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.items.length()").isEqualTo(1)
                .jsonPath("$.items[0].channel").isEqualTo(channel);
    }

    @Test
    void theSameSubjectIsTheSamePrincipalOnEveryToken() {
        String warehouse = unique("W");
        stock(warehouse, "SKU-1", 5);
        List<String> channels = List.of(unique("shop"));
        String subject = unique("bob");
        String externalRef = unique("PO");
        String first = token(KEY, claims(subject, List.of("channel"), channels).build());
        String second = token(KEY, claims(subject, List.of("channel"), channels).jwtID("another").build());

        // the idempotency key is the principal's: the second token replays the first one's answer
        assertThat(OrderflowClient.post(as(first), "k-" + externalRef, order(externalRef, warehouse, "SKU-1", 1)).getStatus().value())
                .isEqualTo(201);
        assertThat(OrderflowClient.post(as(second), "k-" + externalRef, order(externalRef, warehouse, "SKU-1", 1)).getStatus().value())
                .isEqualTo(201);
        asAdmin().get().uri("/v1/orders?externalRef={ref}", externalRef).exchange()
                .expectStatus().isOk()
                .expectBody().jsonPath("$.items.length()").isEqualTo(1);
    }

    @Test
    void aValidTokenWithoutTheRoleIs403() {
        String token = token(KEY, claims("carol", List.of("channel"), List.of(unique("shop"))).build());

        as(token).get().uri("/v1/admin/principals").exchange().expectStatus().isForbidden();
        as(token).get().uri("/v1/exceptions").exchange().expectStatus().isForbidden();
    }

    @Test
    void anAdminTokenMayManagePrincipals() {
        String token = token(KEY, claims("dave", List.of("admin"), List.of()).build());

        as(token).get().uri("/v1/admin/principals?limit=1").exchange().expectStatus().isOk();
    }

    @Test
    void rolesMayBeASpaceSeparatedString() {
        String token = token(KEY, claims("erin", List.of(), List.of()).claim("roles", "operator credit").build());

        as(token).get().uri("/v1/exceptions").exchange().expectStatus().isOk();
    }

    @Test
    void anExpiredTokenIs401() {
        Instant past = Instant.now().minus(Duration.ofHours(2));
        String token = token(KEY, claims("frank", List.of("admin"), List.of())
                .issueTime(Date.from(past)).expirationTime(Date.from(past.plus(Duration.ofMinutes(5)))).build());

        unauthorized(token);
    }

    @Test
    void aTokenFromAnotherIssuerIs401() {
        unauthorized(token(KEY, claims("grace", List.of("admin"), List.of()).issuer("https://evil.example").build()));
    }

    @Test
    void aTokenForAnotherAudienceIs401() {
        unauthorized(token(KEY, claims("heidi", List.of("admin"), List.of()).audience("someone-else").build()));
    }

    @Test
    void aTokenWithABadSignatureIs401() {
        unauthorized(token(FORGED, claims("ivan", List.of("admin"), List.of()).build()));
        // and one altered after signing
        String genuine = token(KEY, claims("judy", List.of("channel"), List.of("shop")).build());
        String[] parts = genuine.split("\\.");
        String altered = parts[0] + "." + com.nimbusds.jose.util.Base64URL.encode(
                claims("judy", List.of("admin"), List.of()).build().toString()) + "." + parts[2];
        unauthorized(altered);
    }

    @Test
    void aTokenNamingAnUnknownRoleIs401() {
        unauthorized(token(KEY, claims("mallory", List.of("admin", "wizard"), List.of()).build()));
    }

    @Test
    void aTokenWithoutRolesOrWithAChannelRoleButNoChannelsIs401() {
        unauthorized(token(KEY, claims("niaj", List.of(), List.of()).build()));
        unauthorized(token(KEY, claims("olivia", List.of("channel"), List.of()).build()));
    }

    @Test
    void apiKeysKeepWorkingBesideJwts() {
        asAdmin().get().uri("/v1/admin/principals?limit=1").exchange().expectStatus().isOk();
        as(channelToken()).get().uri("/v1/orders?limit=1").exchange().expectStatus().isOk();
        unauthorized("of_not-a-key-that-was-ever-issued");
    }

    private void unauthorized(String token) {
        as(token).get().uri("/v1/admin/principals").exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .expectBody().jsonPath("$.status").isEqualTo(401);
    }

    private static JWTClaimsSet.Builder claims(String subject, List<String> roles, List<String> channels) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer())
                .subject(subject)
                .audience(AUDIENCE)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(10))));
        if (!roles.isEmpty()) {
            claims.claim("roles", roles);
        }
        if (!channels.isEmpty()) {
            claims.claim("channels", channels);
        }
        return claims;
    }

    private static String token(RSAKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey rsaKey(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

}
