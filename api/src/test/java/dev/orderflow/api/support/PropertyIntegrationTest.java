package dev.orderflow.api.support;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import net.jqwik.api.lifecycle.BeforeProperty;
import org.springframework.test.context.TestContextManager;

/**
 * Base of jqwik property tests against the running application. jqwik is a JUnit Platform engine
 * of its own, so Spring's JUnit Jupiter extension never sees these classes; Spring's
 * {@link TestContextManager} prepares each instance instead (jqwik makes one per property). The
 * configuration is {@link IntegrationTest}'s, so the application context, with its embedded
 * PostgreSQL and Redis, is the one the other integration tests share from Spring's context cache.
 */
public abstract class PropertyIntegrationTest extends IntegrationTest {

    private static final ConcurrentMap<Class<?>, TestContextManager> MANAGERS = new ConcurrentHashMap<>();

    @BeforeProperty
    void prepareWithSpring() throws Exception {
        MANAGERS.computeIfAbsent(getClass(), TestContextManager::new).prepareTestInstance(this);
        connect();
    }
}
