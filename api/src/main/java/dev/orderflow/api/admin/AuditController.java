package dev.orderflow.api.admin;

import dev.orderflow.orchestration.audit.AuditEntry;
import dev.orderflow.orchestration.audit.AuditLog;
import dev.orderflow.orchestration.support.Page;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code GET /v1/admin/audit}: the audit trail, oldest first, cursor-paged (admin only). */
@RestController
class AuditController {

    private final AuditLog audit;

    AuditController(AuditLog audit) {
        this.audit = audit;
    }

    @GetMapping(path = "/v1/admin/audit", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Page<AuditEntry>> list(@RequestParam(required = false) @Size(max = 100) String action,
            @RequestParam(required = false) @Size(max = 200) String targetId, @RequestParam(required = false) String cursor,
            @RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
        return audit.list(action, targetId, cursor, limit);
    }
}
