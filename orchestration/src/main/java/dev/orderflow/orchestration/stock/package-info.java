/**
 * Stock: on-hand and the stock ledger in PostgreSQL (the truth), "available" and pending
 * reservations in Redis (the fast lock), and what keeps the two in step: the warehouse lock and
 * generation, the rebuilder, the sweeper and the reconciler.
 */
package dev.orderflow.orchestration.stock;
