package dev.orderflow.api.problem;

/**
 * An error reading a request whose message is written for the client (and names nothing of ours),
 * so a problem may quote it, after the path to the field Jackson adds.
 */
public interface ClientMessage {

    String clientMessage();
}
