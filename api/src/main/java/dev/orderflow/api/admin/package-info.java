/** Administration: issuing and revoking principals. */
package dev.orderflow.api.admin;
