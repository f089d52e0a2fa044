/**
 * Host policy: which packages this host lets bpfstore install. {@link io.bpfstore.store.policy.HostPolicy}
 * (read from {@code /etc/bpfstore/policy.yaml}) judges a {@link io.bpfstore.store.policy.PolicySubject} (package,
 * digest, {@link io.bpfstore.store.policy.SignatureCheck}, derived permissions, program types) and answers a
 * {@link io.bpfstore.store.policy.PolicyDecision} with every reason.
 *
 * <p>Traps: a policy that does not load is a {@link io.bpfstore.store.policy.PolicyException}, never the
 * defaults; only a missing default file means the defaults. Permissions are the derived ones (what the code
 * does), never the declared ones. An unknown signer and no signature are the same to the policy (both pass only
 * under allow-unsigned), but a signature that fails to verify under a trusted key is tampering and always denies.
 */
package io.bpfstore.store.policy;
