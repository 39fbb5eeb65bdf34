package dev.orderflow.api.order;

import dev.orderflow.orchestration.order.ExceptionQueue;
import java.util.List;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/** {@code GET /v1/exceptions}: what the operators have to look at (operator role). */
@RestController
class ExceptionQueueController {

    private final ExceptionQueue queue;

    ExceptionQueueController(ExceptionQueue queue) {
        this.queue = queue;
    }

    @GetMapping(path = "/v1/exceptions", produces = MediaType.APPLICATION_JSON_VALUE)
    Mono<Map<String, List<ExceptionQueue.Entry>>> list(@RequestParam(defaultValue = "100") int limit) {
        return queue.oldestFirst(Math.min(Math.max(limit, 1), 500)).collectList().map(items -> Map.of("items", items));
    }
}
