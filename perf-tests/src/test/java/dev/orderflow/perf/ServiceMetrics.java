package dev.orderflow.perf;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The service's memory and resources over a run: {@code /actuator/prometheus} scraped at a fixed
 * interval (heap used, the old generation after the last collection, non-heap, direct buffers,
 * threads, pool waiters, CPU, the longest GC pause of the last minutes), and its resident set size
 * from {@code /proc/<pid>/status} when {@code -DservicePid} names a process on this machine (the
 * JVM does not publish its RSS).
 */
final class ServiceMetrics {

    /** One scrape. Sizes in bytes; -1 where the figure was not available. */
    record Sample(long at, double heapUsed, double heapAfterGc, double nonHeap, double direct, double rss, double threads,
            double poolPending, double processCpu, double gcPauseMax) {
    }

    private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*\\})?\\s+(\\S+)", Pattern.MULTILINE);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;
    private final long pid;
    private final List<Sample> samples = new CopyOnWriteArrayList<>();
    private ScheduledExecutorService scheduler;

    ServiceMetrics(String baseUrl, long pid) {
        this.baseUrl = baseUrl;
        this.pid = pid;
    }

    void start(Duration every) {
        scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "prometheus-scraper");
            thread.setDaemon(true);
            return thread;
        });
        scheduler.scheduleAtFixedRate(this::scrapeQuietly, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop() {
        if (scheduler != null) {
            scheduler.shutdownNow();
        }
        scrapeQuietly();
    }

    List<Sample> samples() {
        return samples;
    }

    private void scrapeQuietly() {
        try {
            samples.add(scrape());
        } catch (IOException | RuntimeException e) {
            Report.line("metrics: scrape failed: %s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Sample scrape() throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/prometheus"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        String text = response.body();
        return new Sample(System.currentTimeMillis(),
                sum(text, "jvm_memory_used_bytes", "area=\"heap\""),
                oldGenerationAfterGc(text),
                sum(text, "jvm_memory_used_bytes", "area=\"nonheap\""),
                sum(text, "jvm_buffer_memory_used_bytes", "id=\"direct\""),
                residentSetSize(),
                sum(text, "jvm_threads_live_threads", ""),
                sum(text, "r2dbc_pool_pending_connections", ""),
                sum(text, "process_cpu_usage", ""),
                max(text, "jvm_gc_pause_seconds_max"));
    }

    /**
     * The long-lived pool (G1 Old Gen, Parallel's PS Old Gen, Serial's Tenured Gen) as the last
     * collection left it, young collections included: Micrometer's {@code jvm.memory.usage.after.gc}
     * is that as a share of the pool's maximum. ({@code jvm.gc.live.data.size} stays 0 until the
     * first old-generation collection, which a healthy run may never have.)
     */
    static double oldGenerationAfterGc(String exposition) {
        double share = sum(exposition, "jvm_memory_usage_after_gc", "pool=\"long-lived\"");
        double maximum = Math.max(sum(exposition, "jvm_memory_max_bytes", "Old Gen"), sum(exposition, "jvm_memory_max_bytes", "Tenured Gen"));
        return share < 0 || maximum <= 0 ? -1 : share * maximum;
    }

    /** The largest value among a metric's series; -1 if there is none. */
    static double max(String exposition, String metric) {
        Matcher line = LINE.matcher(exposition);
        double max = -1;
        while (line.find()) {
            if (line.group(1).equals(metric)) {
                max = Math.max(max, Double.parseDouble(line.group(3)));
            }
        }
        return max;
    }

    /** The sum of a metric's series whose labels contain {@code labelFilter}; -1 if there is none. */
    static double sum(String exposition, String metric, String labelFilter) {
        Matcher line = LINE.matcher(exposition);
        double sum = 0;
        boolean found = false;
        while (line.find()) {
            String labels = line.group(2) == null ? "" : line.group(2);
            if (line.group(1).equals(metric) && labels.contains(labelFilter)) {
                sum += Double.parseDouble(line.group(3));
                found = true;
            }
        }
        return found ? sum : -1;
    }

    private double residentSetSize() throws IOException {
        Path status = Path.of("/proc", Long.toString(pid), "status");
        if (pid <= 0 || !Files.isReadable(status)) {
            return -1;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Double.parseDouble(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }
}
