/**
 * Rate limits per principal, shared by every instance through Redis without a Redis call per
 * request: each instance leases tokens in chunks and spends them locally.
 */
package dev.orderflow.api.ratelimit;
