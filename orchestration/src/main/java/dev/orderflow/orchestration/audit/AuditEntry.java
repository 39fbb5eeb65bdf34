package dev.orderflow.orchestration.audit;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * One recorded administrative action.
 *
 * @param actorId    the principal that acted; null for Orderflow itself (the admin key installed at start-up)
 * @param actorName  its name at the time
 * @param action     what was done, as {@code <thing>.<verb>}: {@code principal.issued}, {@code webhook.deleted}
 * @param targetType the kind of thing acted on: {@code principal}, {@code stock}, {@code webhook}
 * @param targetId   which one (an id, or {@code W1/SKU-1}); null when there is no single one
 * @param details    what else an auditor needs (roles granted, quantities, URL); never a secret or a key
 */
public record AuditEntry(UUID id, UUID actorId, String actorName, String action, String targetType, String targetId,
        Map<String, Object> details, Instant createdAt) {
}
