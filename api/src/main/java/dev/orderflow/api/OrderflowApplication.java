package dev.orderflow.api;

import dev.orderflow.api.config.OrderflowProperties;
import dev.orderflow.api.security.AdminKeyBootstrap;
import java.time.Duration;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** Orderflow: one order pipeline for every channel. */
@SpringBootApplication
@EnableConfigurationProperties(OrderflowProperties.class)
public class OrderflowApplication {

    public static void main(String[] args) {
        SpringApplication.run(OrderflowApplication.class, args);
    }

    /**
     * Installs the admin key before the service reports ready. Start-up runs on the main thread, not
     * an event loop, so waiting here is safe; a service without an admin key is not usable.
     */
    @Bean
    ApplicationRunner adminKeyInstaller(AdminKeyBootstrap bootstrap, StartupReport report) {
        return args -> report.print(bootstrap.install().block(Duration.ofSeconds(60)));
    }
}
