package dev.orderflow.api;

import dev.orderflow.api.config.DatabaseUrl;
import dev.orderflow.api.config.DownstreamEndpoints;
import dev.orderflow.api.config.OrderflowProperties;
import dev.orderflow.api.config.RedisUrl;
import dev.orderflow.api.security.AdminKeyBootstrap;
import java.io.PrintStream;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/** Tells whoever started Orderflow where it is and how to get in. */
@Component
class StartupReport {

    private final Environment environment;
    private final OrderflowProperties properties;
    private final DownstreamEndpoints downstream;

    StartupReport(Environment environment, OrderflowProperties properties, DownstreamEndpoints downstream) {
        this.environment = environment;
        this.properties = properties;
        this.downstream = downstream;
    }

    void print(AdminKeyBootstrap.Outcome adminKey) {
        String base = "http://localhost:" + environment.getProperty("local.server.port", "8080");
        boolean embedded = environment.getProperty("orderflow.embedded.active", Boolean.class, false);
        StringBuilder report = new StringBuilder()
                .append("\nOrderflow is up at ").append(base).append('\n')
                .append("  API explorer: ").append(base).append("/swagger-ui.html\n")
                .append("  Health:       ").append(base).append("/actuator/health\n")
                .append("  PostgreSQL:   ").append(DatabaseUrl.parse(properties.database().url()).redacted())
                .append(embedded ? " (embedded, data in " + environment.getProperty("orderflow.embedded.location") + ")" : "")
                .append('\n')
                .append("  Redis:        ").append(RedisUrl.redacted(properties.redis().url())).append('\n')
                .append("  Simulators:   ").append(properties.simulators() ? "on" : "off").append('\n');
        if (properties.simulators()) {
            for (String system : new String[] {"credit", "fulfillment", "invoicing"}) {
                report.append(String.format("                %-12s %s", system, downstream.simulator(system))).append('\n');
            }
        }
        if (adminKey.generatedKey() != null) {
            report.append("  Admin key:    ").append(adminKey.generatedKey())
                    .append("   (generated now and shown this once: keep it, or set ORDERFLOW_ADMIN_KEY)\n");
        } else if (adminKey.configured()) {
            report.append("  Admin key:    from ORDERFLOW_ADMIN_KEY\n");
        } else {
            report.append("  Admin key:    the one printed at first start (set ORDERFLOW_ADMIN_KEY to replace it)\n");
        }
        // straight to the console, not the log: the one place a generated key may appear, once
        PrintStream console = System.out;
        console.println(report);
    }
}
