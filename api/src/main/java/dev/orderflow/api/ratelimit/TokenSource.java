package dev.orderflow.api.ratelimit;

import java.util.UUID;
import reactor.core.publisher.Mono;

/** Where an instance leases a principal's tokens from: Redis (shared by every instance), or memory when Redis is away. */
interface TokenSource {

    Mono<Lease> lease(UUID principal, int want);
}
