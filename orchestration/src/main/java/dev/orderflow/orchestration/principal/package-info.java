/** Who may call Orderflow: principals (channels, partners, users), their roles, channels and API keys. */
package dev.orderflow.orchestration.principal;
