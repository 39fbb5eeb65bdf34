package dev.orderflow.orchestration.webhook;

import dev.orderflow.orchestration.support.DomainException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Refuses webhook targets that would turn Orderflow into a door to its own network: loopback,
 * private, link-local (cloud metadata), multicast and unspecified addresses, unless private
 * targets are allowed (the embedded default and local tests). Resolving a name blocks, so it runs
 * on a worker thread.
 */
public class SsrfGuard {

    private final boolean allowPrivate;

    public SsrfGuard(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** The URL, if it may be called; a 422 problem if not. */
    public Mono<URI> check(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            return Mono.error(refused("is not a URL"));
        }
        if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
            return Mono.error(refused("must be an absolute http(s) URL"));
        }
        if (uri.getUserInfo() != null) {
            return Mono.error(refused("must not carry credentials"));
        }
        if (allowPrivate) {
            return Mono.just(uri);
        }
        URI target = uri;
        return Mono.fromCallable(() -> InetAddress.getAllByName(target.getHost()))
                .subscribeOn(Schedulers.boundedElastic())
                .onErrorMap(UnknownHostException.class, unknown -> refused("names a host that does not resolve"))
                .flatMap(addresses -> {
                    for (InetAddress address : addresses) {
                        if (isInternal(address)) {
                            return Mono.error(refused("points at a private, loopback or link-local address"));
                        }
                    }
                    return Mono.just(target);
                });
    }

    static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            // fc00::/7, unique local
            return (bytes[0] & 0xFE) == 0xFC;
        }
        // 100.64.0.0/10 carrier-grade NAT, 0.0.0.0/8
        return (bytes[0] == 100 && (bytes[1] & 0xC0) == 64) || bytes[0] == 0;
    }

    private static DomainException refused(String why) {
        return new DomainException(DomainException.Kind.UNPROCESSABLE, "webhook-url-refused", "Webhook URL refused",
                "The webhook URL " + why + ".");
    }
}
