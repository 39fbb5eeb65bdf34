/** Orders: intake (reserve, then commit), the order's lines and allocations, its timeline, idempotency. */
package dev.orderflow.orchestration.order;
