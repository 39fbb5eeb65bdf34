package dev.orderflow.api.config;

import dev.orderflow.api.embedded.EmbeddedInfrastructure;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Turns the contract's two infrastructure URLs into Spring's R2DBC and Flyway settings, and starts
 * the embedded PostgreSQL and Redis for whichever URL is unset. Runs before any bean exists, so
 * the rest of the application never knows which kind of server it got.
 */
public class InfrastructureEnvironment implements EnvironmentPostProcessor, Ordered {

    static final String EMBEDDED_ACTIVE = "orderflow.embedded.active";

    private final Log log;

    public InfrastructureEnvironment(DeferredLogFactory logFactory) {
        this.log = logFactory.getLog(InfrastructureEnvironment.class);
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        String databaseUrl = environment.getProperty("orderflow.database.url", "").trim();
        String redisUrl = environment.getProperty("orderflow.redis.url", "").trim();
        Map<String, Object> settings = new HashMap<>();

        if (databaseUrl.isEmpty() || redisUrl.isEmpty()) {
            EmbeddedInfrastructure embedded = startEmbedded(environment, databaseUrl.isEmpty(), redisUrl.isEmpty());
            if (databaseUrl.isEmpty()) {
                databaseUrl = embedded.postgresUrl();
                settings.put(EMBEDDED_ACTIVE, "true");
                settings.put("orderflow.embedded.location", embedded.dataDir().toString());
            }
            if (redisUrl.isEmpty()) {
                redisUrl = embedded.redisUrl();
            }
        }

        DatabaseUrl database = DatabaseUrl.parse(databaseUrl);
        settings.put("orderflow.database.url", databaseUrl);
        settings.put("orderflow.redis.url", redisUrl);
        settings.put("spring.r2dbc.url", database.r2dbcUrl());
        settings.put("spring.r2dbc.username", database.user());
        settings.put("spring.r2dbc.password", database.password());
        settings.put("spring.flyway.url", database.jdbcUrl());
        settings.put("spring.flyway.user", database.user());
        settings.put("spring.flyway.password", database.password());
        environment.getPropertySources().addFirst(new MapPropertySource("orderflowInfrastructure", settings));
        log.info("PostgreSQL: " + database.redacted() + ", Redis: " + RedisUrl.redacted(redisUrl));
    }

    private EmbeddedInfrastructure startEmbedded(ConfigurableEnvironment environment, boolean postgres, boolean redis) {
        Path dataDir = Path.of(environment.getProperty("orderflow.embedded.data-dir", ".orderflow"));
        boolean ephemeral = environment.getProperty("orderflow.embedded.ephemeral", Boolean.class, false);
        EmbeddedInfrastructure embedded = EmbeddedInfrastructure.startOnce(dataDir, ephemeral, postgres, redis);
        // Shutdown handlers run after every application context has closed: the servers outlive
        // the connection pools, so nothing reconnects into a stopped server on the way down.
        SpringApplication.getShutdownHandlers().add(EmbeddedInfrastructure::stopAll);
        return embedded;
    }

    @Override
    public int getOrder() {
        // after application.yml and the environment have been read
        return Ordered.LOWEST_PRECEDENCE;
    }
}
