/**
 * The embedded default: a real PostgreSQL and a real Redis started by the service itself when no
 * URLs are configured. Never touched when {@code ORDERFLOW_DATABASE_URL} and {@code ORDERFLOW_REDIS_URL} are set.
 */
package dev.orderflow.api.embedded;
