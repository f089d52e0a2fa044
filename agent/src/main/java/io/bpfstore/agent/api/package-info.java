/**
 * The agent's API as plain values: the one interface both the agent's client and the in-process implementation
 * answer ({@link io.bpfstore.agent.api.Installations}, over the install library's records in
 * {@code io.bpfstore.install.api}), follow rules ({@link io.bpfstore.agent.api.FollowRule}), the JSON mapper both
 * sides share, and the typed error a refused request becomes. Nothing here loads kernel, analysis or registry code,
 * so the CLI's client path stays small.
 */
package io.bpfstore.agent.api;
