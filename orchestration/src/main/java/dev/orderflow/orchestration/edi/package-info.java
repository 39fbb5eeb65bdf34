/**
 * EDI (ANSI X12): reading an interchange of 850 purchase orders as a stream, with its envelope and
 * control errors, and writing the 997 functional acknowledgment in the sender's delimiters. Pure
 * Java over StAEDI: no database, no Spring, no HTTP.
 */
package dev.orderflow.orchestration.edi;
