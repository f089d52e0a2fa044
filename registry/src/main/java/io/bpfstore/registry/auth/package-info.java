/**
 * Accounts and access: API tokens (random secrets shown once; only their SHA-256 is stored), the Docker/OCI
 * token flow ({@code /token} trades HTTP Basic credentials for a short-lived HMAC-signed bearer token carrying
 * granted scopes), and the policy deciding who may pull and push where (publishers push only into namespaces
 * they own; pull is anonymous unless the registry is private).
 *
 * <p>Traps: the signing key lives in the data directory ({@code token.key}, mode 0600); several registry
 * nodes must share it. Tokens are checked in constant time and for expiry; a token never grants more than the
 * policy allows at issue time, so revoking a namespace takes effect at the latest when tokens expire.
 */
package io.bpfstore.registry.auth;
