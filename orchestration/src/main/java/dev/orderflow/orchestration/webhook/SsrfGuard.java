package dev.orderflow.orchestration.webhook;

import dev.orderflow.orchestration.support.DomainException;
import io.netty.util.NetUtil;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.http.client.HttpClient;

/**
 * Refuses webhook targets that would turn Orderflow into a door to its own network: loopback,
 * private, link-local (cloud metadata), multicast and unspecified addresses, unless private
 * targets are allowed (the embedded default and local tests). Even then link-local (169.254.0.0/16,
 * where clouds serve instance credentials, and fe80::/10), multicast and unspecified addresses stay
 * refused: no webhook receiver lives there.
 *
 * <p>Checked twice: when a subscription is made ({@link #check}, resolving the name on a worker
 * thread), and again on every delivery, on the addresses the connection is actually made to
 * ({@link #guard}): a name that resolved to a public address at subscription time and resolves to
 * an internal one now (DNS rebinding) is refused before a byte is sent.
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
        InetAddress literal = literalAddress(uri.getHost());
        if (literal != null && refuses(literal)) {
            return Mono.error(refused("points at a private, loopback or link-local address"));
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
                        if (refuses(address)) {
                            return Mono.error(refused("points at a private, loopback or link-local address"));
                        }
                    }
                    return Mono.just(target);
                });
    }

    /** Whether a delivery may not connect to this address. */
    public boolean refuses(InetAddress address) {
        return alwaysRefused(address) || (!allowPrivate && isInternal(address));
    }

    static boolean alwaysRefused(InetAddress address) {
        return address.isLinkLocalAddress() || address.isAnyLocalAddress() || address.isMulticastAddress()
                || (address.getAddress().length == 4 && address.getAddress()[0] == 0);
    }

    /**
     * The client, made to check every address it is about to connect to. Reactor Netty resolves a
     * name only for a new connection, and this runs on what it resolved, so there is no window
     * between check and connect for a rebinding DNS server to use. An address written into the URL
     * is not resolved at all: {@link #refusedTarget} covers those.
     */
    public HttpClient guard(HttpClient client) {
        return client.resolvedAddressesSelector((config, addresses) -> {
            for (SocketAddress address : addresses) {
                if (address instanceof InetSocketAddress inet && inet.getAddress() != null && refuses(inet.getAddress())) {
                    throw new ForbiddenTargetException(inet.getHostString() + " resolves to " + inet.getAddress().getHostAddress()
                            + ", a private, loopback or link-local address");
                }
            }
            return addresses;
        });
    }

    /** Why a URL whose host is an IP address may not be called now; empty when it may (or names a host). */
    public Optional<String> refusedTarget(String url) {
        try {
            InetAddress literal = literalAddress(new URI(url).getHost());
            return literal != null && refuses(literal)
                    ? Optional.of("webhook target refused: " + literal.getHostAddress() + " is a private, loopback or link-local address")
                    : Optional.empty();
        } catch (java.net.URISyntaxException e) {
            return Optional.of("webhook target refused: not a URL");
        }
    }

    /** An IP address written as the host, parsed without any lookup; null for a name. */
    static InetAddress literalAddress(String host) {
        if (host == null) {
            return null;
        }
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(bare);
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** A delivery's target resolved to an address it may not go to. */
    public static final class ForbiddenTargetException extends RuntimeException {

        ForbiddenTargetException(String why) {
            super("webhook target refused: " + why);
        }
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
