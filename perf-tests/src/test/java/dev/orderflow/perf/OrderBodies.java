package dev.orderflow.perf;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.IntStream;

/** Order requests as channels send them: 1 to 5 lines of distinct SKUs, 1 to 3 units each. */
final class OrderBodies {

    /** One order line. */
    record Line(String sku, int quantity) {
    }

    private OrderBodies() {
    }

    /** The catalogue the simulations use: SKU-00001 ... (also what {@code bench.sh} stocks with SQL). */
    static String sku(int number) {
        return String.format(Locale.ROOT, "SKU-%05d", number);
    }

    static List<String> catalogue(int skus) {
        return IntStream.rangeClosed(1, skus).mapToObj(OrderBodies::sku).toList();
    }

    /** A price that belongs to the SKU, so the same SKU always costs the same. */
    static String price(String sku) {
        int cents = 100 + Math.floorMod(sku.hashCode(), 9_900);
        return cents / 100 + "." + String.format(Locale.ROOT, "%02d", cents % 100);
    }

    /** Between {@code min} and {@code max} lines of distinct SKUs drawn from {@code skus}, 1 to 3 units each. */
    static List<Line> randomLines(List<String> skus, int min, int max) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int count = Math.min(skus.size(), random.nextInt(min, max + 1));
        List<Line> lines = new ArrayList<>(count);
        List<String> taken = new ArrayList<>(count);
        while (lines.size() < count) {
            String sku = skus.get(random.nextInt(skus.size()));
            if (!taken.contains(sku)) {
                taken.add(sku);
                lines.add(new Line(sku, random.nextInt(1, 4)));
            }
        }
        return lines;
    }

    /** The JSON of {@code POST /v1/orders}. */
    static String json(String externalRef, String warehouse, List<Line> lines) {
        StringBuilder body = new StringBuilder(96 + lines.size() * 64)
                .append("{\"externalRef\":\"").append(externalRef)
                .append("\",\"customerId\":\"C-").append(Math.floorMod(externalRef.hashCode(), 5_000))
                .append("\",\"currency\":\"USD\",\"warehouse\":\"").append(warehouse)
                .append("\",\"lines\":[");
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            body.append(i == 0 ? "" : ",")
                    .append("{\"sku\":\"").append(line.sku())
                    .append("\",\"quantity\":").append(line.quantity())
                    .append(",\"unitPrice\":\"").append(price(line.sku())).append("\"}");
        }
        return body.append("]}").toString();
    }
}
