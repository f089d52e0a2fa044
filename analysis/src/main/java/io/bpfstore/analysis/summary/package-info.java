/**
 * Packet-program summaries for clash detection: per program, "for traffic matching P: action A", computed by
 * running the {@link io.bpfstore.analysis.domain.RegionDomain} under trace partitioning and reading the state at
 * every exit.
 *
 * <p>{@link io.bpfstore.analysis.summary.PacketSummarizer} makes a {@link
 * io.bpfstore.analysis.summary.PacketSummary}: its {@link io.bpfstore.analysis.summary.Outcome}s (one per path
 * class: facts, possible return values, packet bytes written, notable helpers) and readable lines such as
 * {@code IPv4 TCP dst port 22 → XDP_DROP} and {@code otherwise → XDP_PASS}.
 *
 * <p>Soundness, and where it stops: every path of the program is represented by some outcome, and an outcome's
 * condition is never stronger than what its paths established (merged paths keep only their common facts and
 * say "(approximate)"). Values the analysis cannot follow make a verdict a set ("XDP_PASS or XDP_DROP") with the
 * instructions it depends on. Field names assume the standard layout: Ethernet at offset 0 (cgroup_skb: the
 * network header at 0, family from {@code skb->protocol}), optional VLAN tags, IPv4 without options (a field
 * after variable-length headers is named at its least offset) or IPv6 without extension headers.
 */
package io.bpfstore.analysis.summary;
