/** Limits on what one request may be: header size and count, JSON nesting, streamed body size. */
package dev.orderflow.api.limits;
