package dev.orderflow.api.scaleout;

import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import redis.embedded.RedisServer;

/**
 * The Redis every instance of a scale-out test shares: one server, or a Redis Cluster of three
 * masters made here from {@code redis-server --cluster-enabled yes} processes (the binary the
 * embedded-redis jar bundles) joined with CLUSTER MEET and given the 16384 slots with CLUSTER ADDSLOTS.
 */
final class LocalRedis implements AutoCloseable {

    private static final int SLOTS = 16384;

    private final List<RedisServer> servers;
    private final List<Integer> ports;
    private final Path dir;

    private LocalRedis(List<RedisServer> servers, List<Integer> ports, Path dir) {
        this.servers = servers;
        this.ports = ports;
        this.dir = dir;
    }

    static LocalRedis standalone() {
        int port = OrderflowProcess.freePort();
        return new LocalRedis(List.of(start(port, List.of())), List.of(port), null);
    }

    /** Three masters, slots split evenly, each master alone (no replicas: a test needs no failover). */
    static LocalRedis cluster() {
        try {
            Path dir = Files.createTempDirectory("orderflow-redis-cluster-");
            List<Integer> ports = IntStream.range(0, 3).map(i -> OrderflowProcess.freePort()).boxed().toList();
            List<RedisServer> servers = new ArrayList<>();
            for (int port : ports) {
                servers.add(start(port, List.of("cluster-enabled yes", "cluster-node-timeout 5000",
                        "cluster-config-file " + dir.resolve("nodes-" + port + ".conf"), "dir " + dir)));
            }
            LocalRedis cluster = new LocalRedis(servers, ports, dir);
            cluster.formCluster();
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static RedisServer start(int port, List<String> settings) {
        try {
            var builder = RedisServer.newRedisServer().port(port).bind("127.0.0.1")
                    .setting("save \"\"").setting("appendonly no");
            settings.forEach(builder::setting);
            RedisServer server = builder.build();
            server.start();
            return server;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start redis-server on " + port, e);
        }
    }

    private void formCluster() {
        int perNode = SLOTS / ports.size();
        for (int node = 0; node < ports.size(); node++) {
            int from = node * perNode;
            int to = node == ports.size() - 1 ? SLOTS - 1 : from + perNode - 1;
            try (RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", ports.get(node)));
                    StatefulRedisConnection<String, String> connection = client.connect()) {
                RedisCommands<String, String> redis = connection.sync();
                redis.clusterAddSlots(IntStream.rangeClosed(from, to).toArray());
                if (node > 0) {
                    redis.clusterMeet("127.0.0.1", ports.get(0));
                }
            }
        }
        await("cluster formed").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> ports.stream().allMatch(LocalRedis::clusterOk));
    }

    private static boolean clusterOk(int port) {
        try (RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", port));
                StatefulRedisConnection<String, String> connection = client.connect()) {
            String info = connection.sync().clusterInfo();
            return info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:" + 3);
        }
    }

    boolean isCluster() {
        return ports.size() > 1;
    }

    /** {@code ORDERFLOW_REDIS_URL}: the server, or the cluster as a comma-separated seed list. */
    String url() {
        return ports.stream().map(port -> "redis://127.0.0.1:" + port).collect(Collectors.joining(","));
    }

    /** Redis's "available" units of one SKU at a warehouse (reads through the cluster when there is one). */
    String available(String warehouse, String sku) {
        String key = "{wh:" + warehouse + "}:avail";
        if (!isCluster()) {
            try (RedisClient client = RedisClient.create(RedisURI.create("127.0.0.1", ports.get(0)));
                    StatefulRedisConnection<String, String> connection = client.connect()) {
                return connection.sync().hget(key, sku);
            }
        }
        RedisClusterClient client = RedisClusterClient.create(RedisURI.create("127.0.0.1", ports.get(0)));
        try (StatefulRedisClusterConnection<String, String> connection = client.connect()) {
            RedisAdvancedClusterCommands<String, String> redis = connection.sync();
            return redis.hget(key, sku);
        } finally {
            client.shutdown();
        }
    }

    /** Which master holds a key's slot (0, 1, 2): the warehouses of a test should be spread over them. */
    int nodeOf(String key) {
        int slot = io.lettuce.core.cluster.SlotHash.getSlot(key);
        return Math.min(slot / (SLOTS / ports.size()), ports.size() - 1);
    }

    @Override
    public void close() {
        servers.forEach(server -> {
            try {
                server.stop();
            } catch (IOException e) {
                // the test is over; a server that will not stop dies with the JVM's process tree
            }
        });
        if (dir != null) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException e) {
                // a temporary folder left behind
            }
        }
    }
}
