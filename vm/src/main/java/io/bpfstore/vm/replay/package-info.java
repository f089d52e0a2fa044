/**
 * Replay: packages run as an XDP chain over captured packets, with the rules of a host's chain (the composed
 * dispatcher's proceed-on actions: a member's verdict in its proceed-on set hands the packet to the next
 * member, any other verdict ends the chain; past the last member the packet passes). Entry point:
 * {@link io.bpfstore.vm.replay.Replay}.
 */
package io.bpfstore.vm.replay;
