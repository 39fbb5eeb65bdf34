/**
 * The outbox: order events read in a total order that never skips one, for the webhook dispatcher
 * and the live event stream, on every instance, whichever instance committed them.
 */
package dev.orderflow.orchestration.outbox;
