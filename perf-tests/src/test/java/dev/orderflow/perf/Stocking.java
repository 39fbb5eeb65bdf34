package dev.orderflow.perf;

import java.util.List;
import java.util.Map;

/** Stocks a simulation's catalogue through the API, or checks that {@code bench.sh} already did. */
final class Stocking {

    private Stocking() {
    }

    /**
     * {@code -Dseed=api} (default): counts every SKU at {@code onHand} through the API.
     * {@code -Dseed=none}: the warehouse was stocked beforehand; checks a few SKUs have at least
     * {@code needed} units available and fails the run before any load if not.
     */
    static void stockCatalogue(Setup setup, String warehouse, List<String> skus, long onHand, long needed) {
        String seed = Settings.text("seed", "api");
        Report.line("stock: about %,d units per SKU will be ordered; %s", needed,
                seed.equals("none") ? "the warehouse is stocked already (-Dseed=none)" : "counting each SKU at " + onHand + " through the API");
        if (needed > onHand && seed.equals("api")) {
            Report.line("stock: WARNING %,d units per SKU is not enough: later orders will be (partly) backordered", onHand);
        }
        if (seed.equals("none")) {
            check(setup, warehouse, skus, needed);
            return;
        }
        long started = System.nanoTime();
        setup.stockAll(warehouse, skus, onHand);
        Report.line("stock: %,d SKUs counted in %.1f s", skus.size(), (System.nanoTime() - started) / 1e9);
    }

    private static void check(Setup setup, String warehouse, List<String> skus, long needed) {
        List<String> sample = List.of(skus.get(0), skus.get(skus.size() / 2), skus.get(skus.size() - 1));
        Map<String, Setup.Level> levels = setup.availability(warehouse, sample);
        for (String sku : sample) {
            Setup.Level level = levels.get(sku);
            if (level == null || level.available() < needed) {
                throw new IllegalStateException("-Dseed=none but " + warehouse + "/" + sku + " has "
                        + (level == null ? "no stock item" : level.available() + " available") + ", " + needed + " needed");
            }
        }
    }
}
