/**
 * Packet captures as tcpdump and tshark write them: classic pcap (microsecond and nanosecond, either byte
 * order) and pcapng (section header, interface description, enhanced and simple packet blocks), Ethernet link
 * type only. {@link io.bpfstore.vm.capture.CaptureReader} reads them; a malformed capture is a
 * {@link io.bpfstore.vm.capture.CaptureException} naming the record and its byte offset.
 * {@link io.bpfstore.vm.capture.PcapWriter} writes the packets a replay let through.
 */
package io.bpfstore.vm.capture;
