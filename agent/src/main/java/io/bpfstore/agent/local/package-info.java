/**
 * The installation family run in this process: {@link io.bpfstore.agent.local.LocalInstallations} answers
 * {@link io.bpfstore.agent.api.Installations} with the install library's {@code InstallService}, for the
 * agent's API and for the CLI when no agent runs ({@code --no-agent}) — one code path for both.
 */
package io.bpfstore.agent.local;
