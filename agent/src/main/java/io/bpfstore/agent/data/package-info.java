/**
 * What installed packages produce: their maps' contents decoded with the object's BTF
 * ({@link io.bpfstore.agent.data.InstallationData}), for {@code bpfstore data} and the agent's API. The decoding
 * itself is the bytecode module's {@code BtfValueFormatter}; the map walk is the kernel module's {@code BpfMap}.
 */
package io.bpfstore.agent.data;
