/**
 * What installed packages produce: their maps' contents decoded with the object's BTF
 * ({@link io.bpfstore.agent.data.InstallationData}), for {@code bpfstore data} and the agent's API. The decoding
 * itself is the bytecode module's {@code BtfValueFormatter}; the map walk is the kernel module's {@code BpfMap}, and
 * the records of ring buffers and perf event arrays come from its {@code MapRecordReader}s, each decoded as the struct
 * {@link io.bpfstore.agent.data.RecordType} finds for the map.
 */
package io.bpfstore.agent.data;
