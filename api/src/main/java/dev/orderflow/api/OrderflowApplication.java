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

    /** Reactor Netty's own default, {@code max(cores, 4)}, allows for handlers that block; ours never do. */
    static final String IO_WORKER_COUNT = "reactor.netty.ioWorkerCount";
    static final String LEAK_DETECTION = "io.netty.leakDetection.level";

    public static void main(String[] args) {
        eventLoopPerCore();
        noLeakSampling();
        SpringApplication.run(OrderflowApplication.class, args);
    }

    /**
     * One event loop per core for HTTP and PostgreSQL (both use Reactor Netty's shared loops), unless
     * set with {@code -Dreactor.netty.ioWorkerCount}: on 2 cores, 4 loops only added thread switches
     * (14% less CPU per order with 2, perf-tests/RESULTS.md). Read once, when Reactor Netty starts.
     */
    static void eventLoopPerCore() {
        if (System.getProperty(IO_WORKER_COUNT) == null) {
            System.setProperty(IO_WORKER_COUNT, Integer.toString(Runtime.getRuntime().availableProcessors()));
        }
    }

    /**
     * Netty's buffer leak detection off in the service, unless set with
     * {@code -Dio.netty.leakDetection.level}: its default samples one buffer in 128 and records a
     * stack trace for it, about 1% of the CPU per order. The integration tests, which run the
     * application in their own JVM without {@code main}, keep Netty's default: that is where a leak
     * would be found.
     */
    static void noLeakSampling() {
        if (System.getProperty(LEAK_DETECTION) == null) {
            System.setProperty(LEAK_DETECTION, "disabled");
        }
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
