package dev.orderflow.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Kubernetes manifests as {@code kubectl kustomize} builds each overlay, checked three ways:
 * against the Kubernetes API's schemas (validators compiled from its OpenAPI document, run by node),
 * bound to the API's Java types with no field left over (a misspelt field is an unknown one), and
 * against what Orderflow needs of them (probes, a grace period that covers the shutdown, selectors
 * that match).
 */
class KubernetesManifestsTest {

    private static final YAMLMapper YAML = new YAMLMapper();
    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final Map<String, Class<? extends KubernetesResource>> TYPES = Map.of(
            "ConfigMap", ConfigMap.class,
            "Secret", Secret.class,
            "Service", Service.class,
            "Deployment", Deployment.class,
            "HorizontalPodAutoscaler", HorizontalPodAutoscaler.class,
            "PodDisruptionBudget", PodDisruptionBudget.class);

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
    void everyObjectMatchesTheKubernetesSchemas(String kustomization) throws IOException {
        List<JsonNode> objects = build(kustomization);
        Tool node = Tool.require("node", "install Node.js (Debian: apt-get install nodejs)");
        Path validators = schemaValidators();
        Path input = Files.createTempFile("orderflow-k8s", ".json");
        Files.writeString(input, JSON.writeValueAsString(objects));
        String report = node.succeed(validators, "validate-k8s.mjs", input.toString());
        Files.delete(input);
        assertThat(report.lines().filter(line -> line.startsWith("VALID "))).hasSize(objects.size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
    void everyFieldIsOneKubernetesKnows(String kustomization) throws IOException {
        for (JsonNode object : build(kustomization)) {
            String kind = object.get("kind").asText();
            assertThat(TYPES).as("a kind these checks know").containsKey(kind);
            KubernetesResource bound = YAML.treeToValue(object, TYPES.get(kind));
            assertThat(unknownFields(bound, kind)).as("fields Kubernetes does not know").isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
    void shutdownIsGracefulAndProbesAreSpringBootsOwn(String kustomization) throws IOException {
        Manifests manifests = new Manifests(build(kustomization));
        Deployment deployment = manifests.one(Deployment.class);
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);

        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
        assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");

        // the grace period covers the preStop sleep, then Spring's shutdown phase, with room to spare
        List<String> preStop = container.getLifecycle().getPreStop().getExec().getCommand();
        long preStopSeconds = Long.parseLong(preStop.get(preStop.size() - 1).replaceAll("\\D", ""));
        Duration shutdownPhase = applicationShutdownPhase();
        long grace = deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
        assertThat(grace).as("terminationGracePeriodSeconds").isGreaterThanOrEqualTo(preStopSeconds + shutdownPhase.toSeconds() + 10);

        // the workers' drain fits inside the shutdown phase, or Spring would stop waiting for it
        Duration drain = Duration.parse("PT" + manifests.one(ConfigMap.class).getData().get("ORDERFLOW_WORKERS_DRAINTIMEOUT").toUpperCase());
        assertThat(drain).isLessThan(shutdownPhase);
        assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "overlays/dev", "overlays/prod"})
    void serviceBudgetAndAutoscalerPointAtTheDeployment(String kustomization) throws IOException {
        Manifests manifests = new Manifests(build(kustomization));
        Deployment deployment = manifests.one(Deployment.class);
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(podLabels).containsAllEntriesOf(manifests.one(Service.class).getSpec().getSelector());
        PodDisruptionBudget budget = manifests.one(PodDisruptionBudget.class);
        assertThat(podLabels).containsAllEntriesOf(budget.getSpec().getSelector().getMatchLabels());
        HorizontalPodAutoscaler autoscaler = manifests.one(HorizontalPodAutoscaler.class);
        assertThat(autoscaler.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(autoscaler.getSpec().getScaleTargetRef().getName()).isEqualTo(deployment.getMetadata().getName());
        // a budget that leaves no pod to evict would block every node drain
        if (budget.getSpec().getMinAvailable() != null) {
            assertThat(budget.getSpec().getMinAvailable().getIntVal()).isLessThan(autoscaler.getSpec().getMinReplicas());
        }
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getEnvFrom()).extracting(env -> env.getConfigMapRef() == null ? null : env.getConfigMapRef().getName())
                .contains(manifests.one(ConfigMap.class).getMetadata().getName());
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/dev", "overlays/prod"})
    void overlaysPinAnImageAndSetTheirNamespace(String kustomization) throws IOException {
        Manifests manifests = new Manifests(build(kustomization));
        Deployment deployment = manifests.one(Deployment.class);
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).startsWith("registry.example.com/orderflow:");
        assertThat(manifests.objects()).allSatisfy(object -> assertThat(object.at("/metadata/namespace").asText()).startsWith("orderflow"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/prod"})
    void productionTakesItsSecretFromTheStoreAndRunsAcrossZones(String kustomization) throws IOException {
        Manifests manifests = new Manifests(build(kustomization));
        assertThat(manifests.all(Secret.class)).as("no placeholder Secret to overwrite the real one").isEmpty();
        assertThat(manifests.one(HorizontalPodAutoscaler.class).getSpec().getMinReplicas()).isGreaterThanOrEqualTo(3);
        assertThat(manifests.one(Deployment.class).getSpec().getTemplate().getSpec().getTopologySpreadConstraints().get(0)
                .getWhenUnsatisfiable()).isEqualTo("DoNotSchedule");
    }

    @ParameterizedTest
    @ValueSource(strings = {"overlays/dev"})
    void developmentRunsOnTheSimulatorsWithAGeneratedSecret(String kustomization) throws IOException {
        Manifests manifests = new Manifests(build(kustomization));
        assertThat(manifests.one(ConfigMap.class).getData()).containsEntry("ORDERFLOW_SIMULATORS", "true")
                .doesNotContainKey("ORDERFLOW_CREDIT_URL");
        Secret secret = manifests.one(Secret.class);
        assertThat(secret.getData()).containsKeys("ORDERFLOW_DATABASE_URL", "ORDERFLOW_REDIS_URL", "ORDERFLOW_ADMIN_KEY");
        // the Deployment follows the generated (hash-suffixed) name
        assertThat(manifests.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0).getEnvFrom())
                .extracting(env -> env.getSecretRef() == null ? null : env.getSecretRef().getName())
                .contains(secret.getMetadata().getName());
    }

    @org.junit.jupiter.api.Test
    void aMisspeltFieldAndAWrongTypeAreCaught() throws IOException {
        JsonNode broken = YAML.readTree("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: broken}
                spec:
                  replicas: two
                  selector: {matchLabels: {app: x}}
                  template:
                    metadata: {labels: {app: x}}
                    spec:
                      containers:
                        - name: x
                          image: x
                          livenesProbe: {httpGet: {path: /, port: 8080}}
                """);
        Tool node = Tool.require("node", "install Node.js (Debian: apt-get install nodejs)");
        Path validators = schemaValidators();
        Path input = Files.createTempFile("orderflow-k8s-broken", ".json");
        Files.writeString(input, JSON.writeValueAsString(List.of(broken)));
        Tool.Result schema = node.run(validators, "validate-k8s.mjs", input.toString());
        Files.delete(input);
        assertThat(schema.exitCode()).isEqualTo(1);
        assertThat(schema.output()).contains("INVALID Deployment/broken").contains("replicas must be integer");

        ((com.fasterxml.jackson.databind.node.ObjectNode) broken.get("spec")).put("replicas", 2);
        assertThat(unknownFields(YAML.treeToValue(broken, Deployment.class), "Deployment"))
                .containsExactly("Deployment.spec.template.spec.containers[0].livenesProbe");
    }

    /** infra/validate, with its npm packages (kubernetes-models) installed from the lock file if missing. */
    private static Path schemaValidators() {
        Path validators = Tool.infra().resolve("validate");
        if (!Files.isDirectory(validators.resolve("node_modules/kubernetes-models"))) {
            Tool npm = Tool.require("npm", "install npm (Debian: apt-get install npm)");
            npm.succeed(validators, "ci", "--no-audit", "--no-fund");
        }
        return validators;
    }

    private static List<JsonNode> build(String kustomization) throws IOException {
        Tool kubectl = Tool.require("kubectl", "install kubectl (its built-in kustomize builds the overlays offline)");
        String output = kubectl.succeed(Tool.infra(), "kustomize", "k8s/" + kustomization);
        List<JsonNode> objects = new ArrayList<>();
        try (var documents = YAML.readerFor(JsonNode.class).<JsonNode>readValues(output)) {
            documents.forEachRemaining(document -> {
                if (document != null && !document.isNull() && !document.isEmpty()) {
                    objects.add(document);
                }
            });
        }
        assertThat(objects).isNotEmpty();
        return objects;
    }

    private static Duration applicationShutdownPhase() throws IOException {
        JsonNode application = YAML.readTree(Tool.infra().resolve("../api/src/main/resources/application.yml").toFile());
        String phase = application.at("/spring/lifecycle/timeout-per-shutdown-phase").asText();
        assertThat(phase).as("spring.lifecycle.timeout-per-shutdown-phase in application.yml").matches("\\d+s");
        return Duration.ofSeconds(Long.parseLong(phase.replace("s", "")));
    }

    /**
     * Every field the Java binding could not place, as paths: fabric8's types keep what they do not
     * know in additionalProperties rather than failing, so the walk looks there.
     */
    private static List<String> unknownFields(Object value, String path) {
        List<String> unknown = new ArrayList<>();
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean || value instanceof Enum<?>) {
            return unknown;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknown.addAll(unknownFields(item, path + "[" + i++ + "]"));
            }
            return unknown;
        }
        if (value instanceof Map<?, ?> entries) {
            entries.forEach((key, item) -> unknown.addAll(unknownFields(item, path + "." + key)));
            return unknown;
        }
        if (!value.getClass().getName().startsWith("io.fabric8.")) {
            return unknown;
        }
        try {
            for (PropertyDescriptor property : Introspector.getBeanInfo(value.getClass()).getPropertyDescriptors()) {
                if (property.getReadMethod() == null || property.getName().equals("class")) {
                    continue;
                }
                Object child = property.getReadMethod().invoke(value);
                if (property.getName().equals("additionalProperties") && child instanceof Map<?, ?> extra) {
                    extra.keySet().forEach(key -> unknown.add(path + "." + key));
                } else {
                    unknown.addAll(unknownFields(child, path + "." + property.getName()));
                }
            }
        } catch (java.beans.IntrospectionException | IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("could not walk " + path, e);
        }
        return unknown;
    }

    /** The objects of one build, bound to their Kubernetes types on demand. */
    private record Manifests(List<JsonNode> objects) {

        <T extends KubernetesResource> List<T> all(Class<T> type) {
            String kind = TYPES.entrySet().stream().filter(entry -> entry.getValue().equals(type)).findFirst().orElseThrow().getKey();
            return objects.stream()
                    .filter(object -> kind.equals(object.get("kind").asText()))
                    .map(object -> bind(object, type))
                    .toList();
        }

        <T extends KubernetesResource> T one(Class<T> type) {
            List<T> found = all(type);
            assertThat(found).as("one %s", type.getSimpleName()).hasSize(1);
            return found.get(0);
        }

        private static <T> T bind(JsonNode object, Class<T> type) {
            try {
                return YAML.treeToValue(object, type);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

}
