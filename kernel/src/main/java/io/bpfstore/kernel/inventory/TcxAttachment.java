package io.bpfstore.kernel.inventory;

import io.bpfstore.bytecode.sections.AttachType;

/**
 * A program attached to an interface through tcx (kernel 6.6+).
 *
 * @param ifindex    the interface index
 * @param device     the interface name
 * @param attachType TCX_INGRESS or TCX_EGRESS
 * @param programId  the program, in run order within the hook
 * @param linkId     its link, 0 if attached without one
 */
public record TcxAttachment(int ifindex, String device, AttachType attachType, int programId, int linkId) {
}
