package dev.orderflow.api.support;

import dev.orderflow.api.OrderflowApplication;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.client.ReactorResourceFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.test.web.reactive.server.WebTestClient;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Another Orderflow instance in the test JVM, on a port of its own, on the same PostgreSQL and Redis
 * as the test's context: what two instances behind a load balancer share, and what they do not (their
 * memory). Its workers are off, so it never competes with the shared test context's engine.
 */
public final class SecondInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private SecondInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** Starts one with these extra {@code name=value} properties. */
    public static SecondInstance start(String... properties) {
        // as command-line arguments: they outrank application.yml (default properties would not)
        List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--orderflow.workers.enabled=false"));
        for (String property : properties) {
            arguments.add("--" + property);
        }
        return new SecondInstance(new SpringApplicationBuilder(OrderflowApplication.class)
                .initializers(SecondInstance::ownNettyResources)
                .run(arguments.toArray(String[]::new)));
    }

    /**
     * Event loops and connection pools of its own. With Boot's default (Reactor Netty's global
     * resources), closing this instance would dispose the resources every other context in the JVM
     * runs its web clients and server on.
     */
    private static void ownNettyResources(ConfigurableApplicationContext context) {
        ((GenericApplicationContext) context).registerBean(ReactorResourceFactory.class, () -> {
            ReactorResourceFactory resources = new ReactorResourceFactory();
            resources.setUseGlobalResources(false);
            return resources;
        });
    }

    public int port() {
        return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    public WebTestClient as(String token) {
        return WebTestClient.bindToServer(new ReactorClientHttpConnector(HttpClient.create(ConnectionProvider.newConnection())))
                .baseUrl("http://localhost:" + port())
                .responseTimeout(Duration.ofSeconds(30))
                .defaultHeader("Authorization", "Bearer " + token)
                .build();
    }

    @Override
    public void close() {
        context.close();
    }
}
