package dev.orderflow.api.limits;

import dev.orderflow.orchestration.support.DomainException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Flux;

/**
 * A cap on a body that is streamed rather than decoded (the JSON codec has its own, 1 MB): a
 * declared {@code Content-Length} over it is refused before a byte is read, and a chunked body is
 * cut off with the same 413 once it grows past it.
 */
public final class BodyLimit {

    private final DataSize max;

    public BodyLimit(DataSize max) {
        this.max = max;
    }

    public DataSize max() {
        return max;
    }

    /**
     * The request's body, which fails with a 413 {@link DomainException} past the cap. A reader that
     * turns a failed stream into an answer of its own (the X12 reader answers a 997) is overruled by
     * {@link Capped#exceeded()}.
     */
    public Capped cap(ServerHttpRequest request) {
        AtomicBoolean exceeded = new AtomicBoolean();
        long declared = request.getHeaders().getContentLength();
        if (declared > max.toBytes()) {
            exceeded.set(true);
            return new Capped(Flux.error(tooLarge()), exceeded);
        }
        AtomicLong read = new AtomicLong();
        Flux<DataBuffer> body = request.getBody().handle((buffer, sink) -> {
            if (read.addAndGet(buffer.readableByteCount()) > max.toBytes()) {
                DataBufferUtils.release(buffer);
                exceeded.set(true);
                sink.error(tooLarge());
            } else {
                sink.next(buffer);
            }
        });
        return new Capped(body, exceeded);
    }

    /** A capped body, and whether it went past the cap. */
    public record Capped(Flux<DataBuffer> body, AtomicBoolean overflow) {

        public boolean exceeded() {
            return overflow.get();
        }
    }

    public DomainException tooLarge() {
        return new DomainException(DomainException.Kind.TOO_LARGE, "payload-too-large", "Payload too large",
                "The request body may be up to " + max.toMegabytes() + " MB; split it into several requests.");
    }
}
