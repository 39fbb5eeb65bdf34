package dev.orderflow.orchestration.audit;

import dev.orderflow.orchestration.support.Cursor;
import dev.orderflow.orchestration.support.Ids;
import dev.orderflow.orchestration.support.Json;
import dev.orderflow.orchestration.support.Page;
import io.r2dbc.spi.Readable;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;
import org.springframework.r2dbc.core.DatabaseClient;
import reactor.core.publisher.Mono;

/**
 * The audit trail in PostgreSQL. {@link #record} joins whatever transaction it runs in: callers run
 * it inside the action's transaction, so the action and its entry commit (or roll back) together.
 */
public class AuditLog {

    private static final String COLUMNS = "id, actor_id, actor_name, action, target_type, target_id, details::text AS details, created_at";

    private final DatabaseClient db;
    private final Clock clock;

    public AuditLog(DatabaseClient db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Mono<Void> record(Actor actor, String action, String targetType, String targetId, Map<String, ?> details) {
        DatabaseClient.GenericExecuteSpec insert = db.sql("""
                        INSERT INTO audit_event (id, actor_id, actor_name, action, target_type, target_id, details, created_at)
                        VALUES (:id, :actorId, :actorName, :action, :targetType, :targetId, CAST(:details AS jsonb), :now)""")
                .bind("id", Ids.next())
                .bind("actorName", actor.name())
                .bind("action", action)
                .bind("targetType", targetType)
                .bind("details", Json.write(details))
                .bind("now", clock.instant().atOffset(ZoneOffset.UTC));
        insert = actor.id() == null ? insert.bindNull("actorId", UUID.class) : insert.bind("actorId", actor.id());
        insert = targetId == null ? insert.bindNull("targetId", String.class) : insert.bind("targetId", targetId);
        return insert.then();
    }

    /** Oldest first, cursor-paged like every other list; {@code action} and {@code targetId} narrow it when given. */
    public Mono<Page<AuditEntry>> list(String action, String targetId, String cursor, int limit) {
        String sql = "SELECT " + COLUMNS + " FROM audit_event WHERE id > :after"
                + (action == null ? "" : " AND action = :action")
                + (targetId == null ? "" : " AND target_id = :targetId")
                + " ORDER BY id LIMIT :limit";
        DatabaseClient.GenericExecuteSpec query = db.sql(sql)
                .bind("after", Cursor.decode(cursor).orElse(new UUID(0, 0)))
                .bind("limit", limit + 1);
        query = action == null ? query : query.bind("action", action);
        query = targetId == null ? query : query.bind("targetId", targetId);
        return query.map(AuditLog::read)
                .all()
                .collectList()
                .map(rows -> Page.of(rows, limit, AuditEntry::id));
    }

    private static AuditEntry read(Readable row) {
        return new AuditEntry(row.get("id", UUID.class), row.get("actor_id", UUID.class), row.get("actor_name", String.class),
                row.get("action", String.class), row.get("target_type", String.class), row.get("target_id", String.class),
                Json.readObject(row.get("details", String.class)), row.get("created_at", OffsetDateTime.class).toInstant());
    }
}
