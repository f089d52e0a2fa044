package io.bpfstore.install.api;

/**
 * One object of an installation as the kernel reports it now.
 *
 * @param kind         map, program, link or the XDP dispatcher's link
 * @param name         its name in the package (the dispatcher: its hook key)
 * @param pin          where it is pinned
 * @param alive        whether the pin opens and (for links) the link still holds its hook
 * @param id           its kernel id (0 when not alive)
 * @param detail       what the kernel says: type and sizes, attached program, target
 * @param runCount     programs and links: runs of the (attached) program
 * @param runTimeNanos programs and links: accumulated run time
 */
public record ObjectState(ObjectKind kind, String name, String pin, boolean alive, int id, String detail,
                          long runCount, long runTimeNanos) {
}
