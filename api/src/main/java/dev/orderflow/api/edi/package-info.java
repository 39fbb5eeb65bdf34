/** The EDI (X12) channel's HTTP endpoints: interchanges in, documents out, item cross-references. */
package dev.orderflow.api.edi;
