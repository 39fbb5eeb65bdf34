/** RFC 9457 problem details for every error Orderflow answers, wherever it arises. */
package dev.orderflow.api.problem;
