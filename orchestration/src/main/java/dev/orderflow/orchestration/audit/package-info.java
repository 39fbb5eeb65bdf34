/** The audit trail of administrative actions: who issued, revoked, counted, subscribed; written in the action's own transaction. */
package dev.orderflow.orchestration.audit;
