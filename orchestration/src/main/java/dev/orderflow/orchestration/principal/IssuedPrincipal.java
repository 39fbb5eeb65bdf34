package dev.orderflow.orchestration.principal;

/** A principal just issued, with its API key: the only time the key is ever seen. */
public record IssuedPrincipal(Principal principal, String token) {
}
