package dev.orderflow.api.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orderflow.api.support.IntegrationTest;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.test.StepVerifier;

/** The principals API of the contract: issue, list, read, revoke, and what an admin may not do. */
class PrincipalsIT extends IntegrationTest {

    private static final String PRINCIPALS = "/v1/admin/principals";

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    @Autowired
    private DatabaseClient db;

    @Autowired
    private dev.orderflow.orchestration.principal.Principals principals;

    @Test
    void theAdminKeyGoesBackToAnEarlierValueAndInstancesStartingTogetherInstallItOnce() {
        try {
            assertThat(principals.installAdminKey("earlier-admin-key-00000000001").block()).isTrue();
            assertThat(principals.installAdminKey(ADMIN_KEY).block()).isTrue();
            // back to the earlier key: its revoked row still holds the hash the unique index guards
            assertThat(principals.installAdminKey("earlier-admin-key-00000000001").block()).isTrue();

            // every instance of a deployment installs the key as it starts, and they start together
            List<Boolean> changed = reactor.core.publisher.Flux.range(0, 6)
                    .flatMap(instance -> principals.installAdminKey("deployed-admin-key-000000001"))
                    .collectList()
                    .block();
            assertThat(changed).hasSize(6).containsOnlyOnce(true);
            db.sql("SELECT token_hash FROM principal WHERE bootstrap AND revoked_at IS NULL")
                    .map(row -> row.get("token_hash", byte[].class))
                    .all()
                    .collectList()
                    .as(StepVerifier::create)
                    .assertNext(active -> assertThat(active).singleElement().isEqualTo(sha256("deployed-admin-key-000000001")))
                    .verifyComplete();
        } finally {
            // the other tests' admin key
            principals.installAdminKey(ADMIN_KEY).block();
        }
    }

    @Test
    void issuingAnswers201WithLocationAndTheTokenOnce() {
        String name = unique("webshop");
        EntityExchangeResult<Map<String, Object>> result = asAdmin().post().uri(PRINCIPALS)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", name, "kind", "channel", "roles", List.of("channel"), "channels", List.of("webshop")))
                .exchange()
                .expectStatus().isCreated()
                .expectHeader().contentTypeCompatibleWith(MediaType.APPLICATION_JSON)
                .expectBody(JSON)
                .returnResult();
        Map<String, Object> issued = result.getResponseBody();

        String id = (String) issued.get("id");
        assertThat(UUID.fromString(id)).isNotNull();
        String location = result.getResponseHeaders().getLocation().toString();
        assertThat(location).isEqualTo(PRINCIPALS + "/" + id);
        assertThat(issued.get("name")).isEqualTo(name);
        assertThat(issued.get("kind")).isEqualTo("channel");
        assertThat(issued.get("roles")).isEqualTo(List.of("channel"));
        assertThat(issued.get("channels")).isEqualTo(List.of("webshop"));
        String token = (String) issued.get("token");
        assertThat(token).startsWith("of_").hasSizeGreaterThan(40);
        // the hint is a prefix of the key, short enough to reveal nothing of its 256 random bits
        assertThat((String) issued.get("tokenHint")).startsWith("of_").hasSizeLessThan(15);

        // "shown once": reading the principal again never shows the token
        asAdmin().get().uri(location).exchange()
                .expectStatus().isOk()
                .expectBody()
                .jsonPath("$.id").isEqualTo(id)
                .jsonPath("$.name").isEqualTo(name)
                .jsonPath("$.roles[0]").isEqualTo("channel")
                .jsonPath("$.channels[0]").isEqualTo("webshop")
                .jsonPath("$.token").doesNotExist();
    }

    @Test
    void anIssuedTokenWorksOnItsFirstRequest() {
        String token = issueToken("user", List.of("admin"), List.of());

        as(token).get().uri(PRINCIPALS).exchange()
                .expectStatus().isOk();
    }

    @Test
    void theListWalksEveryPageWithoutRepeatsAndNeverShowsTokens() {
        Set<String> mine = Set.of(issueId(), issueId(), issueId());

        List<Object> walked = walk(1).stream().map(item -> item.get("id")).toList();

        assertThat(walked).doesNotHaveDuplicates().containsAll(mine);
        // big pages hold exactly what the walk found, in the same order
        assertThat(walk(500).stream().map(item -> item.get("id")).toList()).isEqualTo(walked);
    }

    @Test
    void aCursorThatWasNotIssuedIsA400Problem() {
        for (String cursor : List.of("not*a*cursor", "AAAA")) {
            asAdmin().get().uri(PRINCIPALS + "?cursor={cursor}", cursor).exchange()
                    .expectStatus().isBadRequest()
                    .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .expectBody()
                    .jsonPath("$.status").isEqualTo(400)
                    .jsonPath("$.type").isEqualTo("https://orderflow.dev/problems/invalid-cursor");
        }
    }

    @Test
    void aLimitOutOfRangeIsA400Problem() {
        asAdmin().get().uri(PRINCIPALS + "?limit=0").exchange()
                .expectStatus().isBadRequest()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.errors[0].field").isEqualTo("limit");
    }

    @Test
    void readingAnUnknownPrincipalIs404() {
        asAdmin().get().uri(location(UUID.randomUUID().toString())).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(404);
    }

    @Test
    void aChannelPrincipalMayNotManagePrincipals() {
        String channel = issueToken("channel", List.of("channel"), List.of("webshop"));

        as(channel).get().uri(PRINCIPALS).exchange()
                .expectStatus().isForbidden()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(403)
                .jsonPath("$.detail").isNotEmpty();
        as(channel).post().uri(PRINCIPALS)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", unique("sneaky"), "kind", "user", "roles", List.of("admin")))
                .exchange()
                .expectStatus().isForbidden();
    }

    @Test
    void aRevokedTokenIsRefusedOnTheVeryNextRequest() {
        Map<String, Object> issued = issue(Map.of("name", unique("ops"), "kind", "user", "roles", List.of("admin")));
        String id = (String) issued.get("id");
        WebTestClient revokee = as((String) issued.get("token"));
        // a successful request first, so the key sits in the directory's cache when it is revoked
        revokee.get().uri(PRINCIPALS).exchange().expectStatus().isOk();

        asAdmin().delete().uri(location(id)).exchange()
                .expectStatus().isNoContent()
                .expectBody().isEmpty();

        revokee.get().uri(PRINCIPALS).exchange()
                .expectStatus().isUnauthorized()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectHeader().valueEquals(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        asAdmin().get().uri(location(id)).exchange().expectStatus().isNotFound();
        assertThat(listedIds()).doesNotContain(id);
        // revoking twice: there is no active principal left to revoke
        asAdmin().delete().uri(location(id)).exchange().expectStatus().isNotFound();
    }

    @Test
    void revokingAnUnknownPrincipalIs404() {
        asAdmin().delete().uri(location(UUID.randomUUID().toString())).exchange()
                .expectStatus().isNotFound()
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(404);
    }

    @Test
    void theAdminKeyCannotBeRevokedThroughTheApi() {
        String adminId = bootstrapAdminId();

        asAdmin().delete().uri(location(adminId)).exchange()
                .expectStatus().isEqualTo(409)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(409)
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("ORDERFLOW_ADMIN_KEY"));
        // and it still works
        asAdmin().get().uri(location(adminId)).exchange().expectStatus().isOk();
    }

    @Test
    void anUnknownRoleIs422NamingTheRoleByIndex() {
        String name = unique("wizard");

        asAdmin().post().uri(PRINCIPALS)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", name, "kind", "user", "roles", List.of("operator", "wizard")))
                .exchange()
                .expectStatus().isEqualTo(422)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(422)
                .jsonPath("$.errors.length()").isEqualTo(1)
                .jsonPath("$.errors[0].field").isEqualTo("roles[1]")
                .jsonPath("$.errors[0].message").value(message -> assertThat((String) message).contains("wizard"));
        assertThat(listedNames()).doesNotContain(name);
    }

    @Test
    void aChannelRolePrincipalWithoutChannelsIs422() {
        String name = unique("nowhere");

        asAdmin().post().uri(PRINCIPALS)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(Map.of("name", name, "kind", "channel", "roles", List.of("channel")))
                .exchange()
                .expectStatus().isEqualTo(422)
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.status").isEqualTo(422)
                .jsonPath("$.detail").value(detail -> assertThat((String) detail).contains("channel"));
        assertThat(listedNames()).doesNotContain(name);
    }

    @Test
    void theStoredRowHoldsAHashNeverTheToken() {
        Map<String, Object> issued = issue(Map.of("name", unique("partner"), "kind", "partner", "roles", List.of("partner"),
                "channels", List.of("webshop")));
        UUID id = UUID.fromString((String) issued.get("id"));
        String token = (String) issued.get("token");

        // the whole row as text: no column (name, hint, hash, anything added later) holds the key
        db.sql("SELECT count(*) FROM principal p WHERE strpos(p::text, :token) > 0")
                .bind("token", token)
                .map(row -> row.get(0, Long.class))
                .one()
                .as(StepVerifier::create)
                .expectNext(0L)
                .verifyComplete();
        db.sql("SELECT token_hash FROM principal WHERE id = :id")
                .bind("id", id)
                .map(row -> row.get("token_hash", byte[].class))
                .one()
                .as(StepVerifier::create)
                .assertNext(hash -> assertThat(hash).hasSize(32).isEqualTo(sha256(token)))
                .verifyComplete();
    }

    private Map<String, Object> issue(Map<String, Object> request) {
        return asAdmin().post().uri(PRINCIPALS)
                .contentType(MediaType.APPLICATION_JSON)
                .bodyValue(request)
                .exchange()
                .expectStatus().isCreated()
                .expectBody(JSON)
                .returnResult()
                .getResponseBody();
    }

    private String issueId() {
        return (String) issue(Map.of("name", unique("reader"), "kind", "user", "roles", List.of("operator"))).get("id");
    }

    /** Every active principal, page by page, checking each page on the way. */
    private List<Map<String, Object>> walk(int limit) {
        List<Map<String, Object>> all = new ArrayList<>();
        Set<String> cursors = new HashSet<>();
        String cursor = null;
        do {
            Map<String, Object> page = asAdmin().get()
                    .uri(PRINCIPALS + "?limit={limit}" + (cursor == null ? "" : "&cursor={cursor}"), limit, cursor)
                    .exchange()
                    .expectStatus().isOk()
                    .expectBody(JSON)
                    .returnResult()
                    .getResponseBody();
            List<Map<String, Object>> items = items(page);
            cursor = (String) page.get("nextCursor");
            // a full page may have more behind it; a short one is the last
            assertThat(items).hasSizeLessThanOrEqualTo(limit);
            if (cursor != null) {
                assertThat(items).hasSize(limit);
                assertThat(cursors.add(cursor)).as("cursor %s came back twice", cursor).isTrue();
            }
            items.forEach(item -> assertThat(item).doesNotContainKey("token"));
            all.addAll(items);
        } while (cursor != null);
        return all;
    }

    private List<Map<String, Object>> listed() {
        return walk(500);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> items(Map<String, Object> page) {
        return (List<Map<String, Object>>) page.get("items");
    }

    private List<Object> listedIds() {
        return listed().stream().map(item -> item.get("id")).toList();
    }

    private Set<Object> listedNames() {
        return new HashSet<>(listed().stream().map(item -> item.get("name")).toList());
    }

    private String bootstrapAdminId() {
        List<Map<String, Object>> admins = listed().stream().filter(item -> "admin".equals(item.get("kind"))).toList();
        assertThat(admins).as("exactly one active admin key").hasSize(1);
        return (String) admins.get(0).get("id");
    }

    private static String location(String id) {
        return PRINCIPALS + "/" + id;
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
