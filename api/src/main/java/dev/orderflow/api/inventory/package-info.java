/** The inventory endpoints: counts, receipts, adjustments, availability. */
package dev.orderflow.api.inventory;
