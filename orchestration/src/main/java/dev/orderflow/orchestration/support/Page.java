package dev.orderflow.orchestration.support;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/**
 * One page of a cursor-paginated list. The cursor is the id of the last item: ids are UUIDv7, so
 * "id after the cursor" walks the list in creation order with no gaps or repeats under inserts.
 */
public record Page<T>(List<T> items, String nextCursor) {

    /**
     * Builds a page from up to {@code limit + 1} rows: the extra row only says that there is more.
     */
    public static <T> Page<T> of(List<T> rows, int limit, Function<T, UUID> idOf) {
        if (rows.size() <= limit) {
            return new Page<>(List.copyOf(rows), null);
        }
        List<T> items = List.copyOf(rows.subList(0, limit));
        return new Page<>(items, Cursor.encode(idOf.apply(items.get(limit - 1))));
    }

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(items.stream().map(mapper).toList(), nextCursor);
    }
}
