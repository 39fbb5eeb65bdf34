package dev.orderflow.perf;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServiceMetricsTest {

    private static final String EXPOSITION = """
            # HELP jvm_memory_used_bytes The amount of used memory
            jvm_memory_used_bytes{application="orderflow",area="heap",id="G1 Eden Space"} 2.0E8
            jvm_memory_used_bytes{application="orderflow",area="heap",id="G1 Old Gen"} 1.0E8
            jvm_memory_used_bytes{application="orderflow",area="nonheap",id="Metaspace"} 9.0E7
            jvm_memory_max_bytes{application="orderflow",area="heap",id="G1 Old Gen"} 1.073741824E9
            jvm_memory_usage_after_gc{application="orderflow",area="heap",pool="long-lived"} 0.05
            jvm_gc_pause_seconds_max{action="end of minor GC",gc="G1 Young Generation"} 0.012
            jvm_gc_pause_seconds_max{action="end of major GC",gc="G1 Old Generation"} 0.3
            """;

    @Test
    void sumsTheSeriesOfAMetricThatCarryALabel() {
        assertThat(ServiceMetrics.sum(EXPOSITION, "jvm_memory_used_bytes", "area=\"heap\"")).isEqualTo(3.0E8);
        assertThat(ServiceMetrics.sum(EXPOSITION, "jvm_memory_used_bytes", "area=\"nonheap\"")).isEqualTo(9.0E7);
        assertThat(ServiceMetrics.sum(EXPOSITION, "no_such_metric", "")).isEqualTo(-1);
    }

    @Test
    void theOldGenerationAfterGcIsTheShareAfterCollectionOfItsMaximum() {
        assertThat(ServiceMetrics.oldGenerationAfterGc(EXPOSITION)).isEqualTo(0.05 * 1.073741824E9);
    }

    @Test
    void theLongestPauseAcrossCollectors() {
        assertThat(ServiceMetrics.max(EXPOSITION, "jvm_gc_pause_seconds_max")).isEqualTo(0.3);
    }
}
