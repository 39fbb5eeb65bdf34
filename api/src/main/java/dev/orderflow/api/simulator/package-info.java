/**
 * Built-in simulators of the systems Orderflow calls (credit check, fulfillment, invoicing), served
 * under {@code /simulators/...} when {@code ORDERFLOW_SIMULATORS=true}, so that the embedded default
 * shows an order's whole life with nothing else running. Orderflow reaches them over HTTP only, like
 * the real systems; nothing outside this package depends on it.
 */
package dev.orderflow.api.simulator;
