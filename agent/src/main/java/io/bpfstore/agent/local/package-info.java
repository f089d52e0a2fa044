/**
 * The installation family run in this process: {@link io.bpfstore.agent.local.LocalInstallations} answers
 * {@link io.bpfstore.agent.api.Installations} with the install library, for the agent's API and for the CLI when
 * no agent runs ({@code --no-agent}) — one code path for both. {@link io.bpfstore.agent.local.Admission} pulls,
 * verifies and lets the host policy judge a package before anything touches the kernel.
 */
package io.bpfstore.agent.local;
