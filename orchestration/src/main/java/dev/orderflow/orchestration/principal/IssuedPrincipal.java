package dev.orderflow.orchestration.principal;

/** A principal just issued, with its API key: the only time the key is ever seen. */
public record IssuedPrincipal(Principal principal, String token) {

    /** Without the key: an issued principal may end up in a log line or an error message. */
    @Override
    public String toString() {
        return "IssuedPrincipal[principal=" + principal + ", token=[redacted]]";
    }
}
