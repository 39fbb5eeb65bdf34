/** Authentication by bearer API key, the role rules per route, and the admin key. */
package dev.orderflow.api.security;
