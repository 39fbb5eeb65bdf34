package dev.orderflow.orchestration.order;

import dev.orderflow.orchestration.step.NewStep;
import dev.orderflow.orchestration.support.Json;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * Stores a batch of orders with one call of the database function {@code intake_store}
 * (V7__intake_store.sql): the warehouse's stock lock (shared), the generation check, the
 * idempotency keys, headers, lines, reservation ledger, first events and first steps, each table
 * written once for the whole batch from arrays. Sent on its own the call is its own transaction:
 * one round trip in all.
 *
 * <p>Why one short call rather than the statements themselves: every statement sent costs the
 * service a request and a response through the driver whatever its size (a batch was four: BEGIN,
 * the lock, one statement of CTEs, COMMIT), and the driver tokenizes a statement's SQL text on
 * every execution, a character at a time: for that 4 KB statement, a quarter of all the memory the
 * service allocated per order (perf-tests/RESULTS.md).
 */
final class IntakeInsert {

    private static final String CALL = """
            SELECT is_current, keyed_ids, stored_ids FROM intake_store(:warehouse, :generation, :waitBudget, :now,
                :ids, :principals, :keys, :hashes, :responses, :channels, :refs, :customers, :currencies, :warehouses,
                :fulfillment, :invoicing, :statuses, :totals, :shipTos, :actors, :approvals, :origins,
                :eventIds, :eventTypes, :eventData, :eventTimes,
                :lineOrders, :lineNos, :lineWarehouses, :skus, :quantities, :prices, :discounts, :reserved, :backordered,
                :stepIds, :stepOrders, :stepKinds, :stepPayloads)""";

    /** What the call did: nothing if the generation had moved on, else which orders took their key and which were stored. */
    record Result(boolean current, Set<UUID> keyed, Set<UUID> stored) {
    }

    private IntakeInsert() {
    }

    /**
     * @param waitBudget how long the call may wait for the stock lock; if longer, nothing is stored,
     *                   as if the generation had moved on
     */
    static Mono<Result> run(DatabaseClient db, String warehouse, long generation, Duration waitBudget, List<PreparedOrder> batch) {
        return db.sql(CALL)
                // all at once: each bind(...) would copy the bindings made so far
                .bindValues(parameters(warehouse, generation, waitBudget, batch))
                .map(row -> new Result(Boolean.TRUE.equals(row.get("is_current", Boolean.class)),
                        Set.of(row.get("keyed_ids", UUID[].class)), Set.of(row.get("stored_ids", UUID[].class))))
                .one();
    }

    private static Map<String, Object> parameters(String warehouse, long generation, Duration waitBudget, List<PreparedOrder> batch) {
        Lines lines = Lines.of(batch);
        Steps steps = Steps.of(batch);
        Map<String, Object> values = new LinkedHashMap<>();
        values.put("warehouse", warehouse);
        values.put("generation", generation);
        values.put("waitBudget", waitBudget.toMillis());
        values.put("now", batch.get(0).draft().createdAt().atOffset(ZoneOffset.UTC));
        values.put("ids", column(batch, order -> order.draft().id(), UUID[]::new));
        values.put("principals", column(batch, order -> order.draft().principalId(), UUID[]::new));
        values.put("keys", column(batch, order -> order.draft().idempotencyKey(), String[]::new));
        values.put("hashes", column(batch, order -> HexFormat.of().formatHex(order.draft().requestHash()), String[]::new));
        values.put("responses", column(batch, PreparedOrder::response, String[]::new));
        values.put("channels", column(batch, order -> order.draft().channel(), String[]::new));
        values.put("refs", column(batch, order -> order.draft().externalRef(), String[]::new));
        values.put("customers", column(batch, order -> order.draft().customerId(), String[]::new));
        values.put("currencies", column(batch, order -> order.draft().currency(), String[]::new));
        values.put("warehouses", column(batch, order -> order.draft().warehouse(), String[]::new));
        values.put("fulfillment", column(batch, order -> order.draft().fulfillmentPolicy().name(), String[]::new));
        values.put("invoicing", column(batch, order -> order.draft().invoicingPolicy().name(), String[]::new));
        values.put("statuses", column(batch, order -> order.status().name(), String[]::new));
        values.put("totals", column(batch, order -> order.draft().total().toPlainString(), String[]::new));
        values.put("shipTos", column(batch, order -> order.draft().shipTo() == null ? null : Json.write(order.draft().shipTo()), String[]::new));
        values.put("actors", column(batch, order -> order.draft().actor(), String[]::new));
        values.put("approvals", column(batch, PreparedOrder::needsApproval, Boolean[]::new));
        values.put("origins", column(batch, order -> order.draft().origin(), String[]::new));
        values.put("eventIds", column(batch, order -> order.firstEvent().id(), UUID[]::new));
        values.put("eventTypes", column(batch, order -> order.firstEvent().type(), String[]::new));
        values.put("eventData", column(batch, order -> order.firstEvent().data(), String[]::new));
        values.put("eventTimes", column(batch, order -> order.firstEvent().createdAt().atOffset(ZoneOffset.UTC), OffsetDateTime[]::new));
        values.put("lineOrders", lines.orders.toArray(UUID[]::new));
        values.put("lineNos", lines.lineNos.toArray(Integer[]::new));
        values.put("lineWarehouses", lines.warehouses.toArray(String[]::new));
        values.put("skus", lines.skus.toArray(String[]::new));
        values.put("quantities", lines.quantities.toArray(Integer[]::new));
        values.put("prices", lines.prices.toArray(String[]::new));
        values.put("discounts", lines.discounts.toArray(String[]::new));
        values.put("reserved", lines.reserved.toArray(Integer[]::new));
        values.put("backordered", lines.backordered.toArray(Integer[]::new));
        values.put("stepIds", steps.ids.toArray(UUID[]::new));
        values.put("stepOrders", steps.orders.toArray(UUID[]::new));
        values.put("stepKinds", steps.kinds.toArray(String[]::new));
        values.put("stepPayloads", steps.payloads.toArray(String[]::new));
        return values;
    }

    /** One value per order of the batch, as an array to bind. */
    private static <T> T[] column(List<PreparedOrder> batch, Function<PreparedOrder, T> value, IntFunction<T[]> array) {
        T[] column = array.apply(batch.size());
        for (int i = 0; i < column.length; i++) {
            column[i] = value.apply(batch.get(i));
        }
        return column;
    }

    /** The batch's order lines as columns, one entry per line. */
    private record Lines(List<UUID> orders, List<Integer> lineNos, List<String> warehouses, List<String> skus,
            List<Integer> quantities, List<String> prices, List<String> discounts, List<Integer> reserved, List<Integer> backordered) {

        static Lines of(List<PreparedOrder> batch) {
            Lines lines = new Lines(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                    new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (PreparedOrder order : batch) {
                for (LineAllocation line : order.allocations()) {
                    lines.orders.add(order.draft().id());
                    lines.lineNos.add(line.line().lineNo());
                    lines.warehouses.add(order.draft().warehouse());
                    lines.skus.add(line.line().sku());
                    lines.quantities.add(line.line().quantity());
                    lines.prices.add(line.line().unitPrice().toPlainString());
                    lines.discounts.add(line.line().discountPercent().toPlainString());
                    lines.reserved.add(line.reserved());
                    lines.backordered.add(line.backordered());
                }
            }
            return lines;
        }
    }

    /** The batch's first steps as columns. */
    private record Steps(List<UUID> ids, List<UUID> orders, List<String> kinds, List<String> payloads) {

        static Steps of(List<PreparedOrder> batch) {
            Steps steps = new Steps(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (PreparedOrder order : batch) {
                for (NewStep step : order.firstSteps()) {
                    steps.ids.add(step.id());
                    steps.orders.add(step.orderId());
                    steps.kinds.add(step.kind().name());
                    steps.payloads.add(step.payload());
                }
            }
            return steps;
        }
    }
}
