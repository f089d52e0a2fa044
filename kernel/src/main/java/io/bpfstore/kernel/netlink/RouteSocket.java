package io.bpfstore.kernel.netlink;

import io.bpfstore.bytecode.ByteReader;
import io.bpfstore.bytecode.MalformedObjectException;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.kernel.FdHandle;
import io.bpfstore.kernel.sys.Fd;
import io.bpfstore.kernel.sys.Libc;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** An rtnetlink socket (NETLINK_ROUTE) that sends dump requests and collects the replies. */
public final class RouteSocket extends FdHandle {
    static final int NLMSG_HDRLEN = 16;
    private static final int NLMSG_ERROR = 2;
    private static final int NLMSG_DONE = 3;
    private static final int NLM_F_REQUEST = 0x1;
    private static final int NLM_F_DUMP = 0x300;
    private static final int NLM_F_ACK = 0x4;
    /** {@code NLM_F_ECHO}: echo the created object back before the acknowledgement. */
    public static final int NLM_F_ECHO = 0x8;
    /** {@code NLM_F_EXCL}: refuse (EEXIST) if the object exists. */
    public static final int NLM_F_EXCL = 0x200;
    /** {@code NLM_F_CREATE}: create the object if it does not exist. */
    public static final int NLM_F_CREATE = 0x400;
    private static final int NLM_F_CAPPED = 0x100;
    private static final int NLM_F_ACK_TLVS = 0x200;
    private static final int NLMSGERR_ATTR_MSG = 1;
    private static final int SOL_NETLINK = 270;
    private static final int NETLINK_CAP_ACK = 10;
    private static final int NETLINK_EXT_ACK = 11;
    private static final int RECEIVE_BUFFER = 64 * 1024;
    private static final int MAX_MESSAGES = 1 << 20;

    /**
     * One netlink message of a reply.
     *
     * @param type    nlmsg_type
     * @param payload the bytes after the header
     */
    public record Message(int type, byte[] payload) {
    }

    private int sequence = 1;

    private RouteSocket(Fd fd) {
        super(fd);
    }

    /** Opens a socket in the calling thread's network namespace. */
    public static RouteSocket open() {
        int fd = Libc.socket(Libc.AF_NETLINK, Libc.SOCK_RAW | Libc.SOCK_CLOEXEC, Libc.NETLINK_ROUTE);
        if (fd < 0) {
            throw new BpfException("open an rtnetlink socket", -fd, null, "");
        }
        // Errors in words (extended ack) without the request echoed back (capped ack); older kernels ignore both.
        Libc.setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, 1);
        Libc.setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, 1);
        return new RouteSocket(new Fd(fd));
    }

    /**
     * Sends a dump request of {@code type} with {@code body} and returns every reply message until NLMSG_DONE.
     *
     * @throws BpfException if the kernel answers with an error
     * @throws MalformedObjectException if a reply is malformed
     */
    public List<Message> dump(int type, byte[] body, String what) {
        return exchange(type, NLM_F_DUMP, body, what, true);
    }

    /**
     * Sends one change request ({@code NLM_F_REQUEST | NLM_F_ACK | flags}, e.g. NLM_F_CREATE, NLM_F_EXCL,
     * NLM_F_ECHO) and waits for the kernel's acknowledgement. Returns the messages that came before the
     * acknowledgement (with NLM_F_ECHO: the object as created).
     *
     * @throws NetlinkException with the errno (and the kernel's words, if any) if the kernel refuses
     * @throws MalformedObjectException if a reply is malformed
     */
    public List<Message> request(int type, int flags, byte[] body, String what) {
        return exchange(type, NLM_F_ACK | flags, body, what, false);
    }

    /** Sends a request and collects the replies to it until NLMSG_DONE (a dump) or the acknowledgement. */
    private List<Message> exchange(int type, int flags, byte[] body, String what, boolean dump) {
        int seq = sequence++;
        ByteBuffer request = ByteBuffer.allocate(NLMSG_HDRLEN + body.length).order(ByteOrder.nativeOrder());
        request.putInt(NLMSG_HDRLEN + body.length).putShort((short) type).putShort((short) (NLM_F_REQUEST | flags))
                .putInt(seq).putInt(0).put(body);
        List<Message> messages = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment kernel = arena.allocate(12); // struct sockaddr_nl: family, pad, pid 0 (the kernel), groups
            kernel.set(ValueLayout.JAVA_SHORT, 0, (short) Libc.AF_NETLINK);
            long sent = Libc.sendto(fd().value(), arena.allocateFrom(ValueLayout.JAVA_BYTE, request.array()), kernel);
            if (sent < 0) {
                throw new BpfException(what + ": send the netlink request", (int) -sent, null, "");
            }
            MemorySegment buffer = arena.allocate(RECEIVE_BUFFER);
            while (true) {
                long received = Libc.recv(fd().value(), buffer);
                if (received < 0) {
                    throw new BpfException(what + ": receive the netlink reply", (int) -received, null, "");
                }
                byte[] chunk = buffer.asSlice(0, received).toArray(ValueLayout.JAVA_BYTE);
                ByteReader reader = ByteReader.of(chunk, ByteOrder.nativeOrder(), "netlink reply to " + what);
                int offset = 0;
                while (offset + NLMSG_HDRLEN <= chunk.length) {
                    long length = reader.u32(offset);
                    int msgType = reader.u16(offset + 4);
                    if (length < NLMSG_HDRLEN || length > chunk.length - offset) {
                        throw reader.fail(offset, "message length " + length + " outside the " + (chunk.length - offset)
                                + " bytes left");
                    }
                    if (reader.s32(offset + 8) == seq) {
                        if (dump && msgType == NLMSG_DONE) {
                            return messages;
                        }
                        byte[] payload = reader.bytes(offset + NLMSG_HDRLEN, length - NLMSG_HDRLEN);
                        if (msgType == NLMSG_ERROR) {
                            ByteReader ack = ByteReader.of(payload, ByteOrder.nativeOrder(), "netlink error");
                            int error = ack.s32(0);
                            if (error != 0) {
                                throw new NetlinkException(what, -error, kernelMessage(ack, payload, reader.u16(offset + 6)));
                            }
                            if (!dump) {
                                return messages; // the acknowledgement
                            }
                        } else {
                            messages.add(new Message(msgType, payload));
                            if (messages.size() > MAX_MESSAGES) {
                                throw reader.fail(offset, "more than " + MAX_MESSAGES + " messages in one reply");
                            }
                        }
                    }
                    offset += (int) ((length + 3) & ~3);
                }
            }
        }
    }

    /**
     * The NLMSGERR_ATTR_MSG of an error with NLM_F_ACK_TLVS: the attributes follow the errno and the header of
     * the refused request (and its payload unless the ack is capped).
     */
    private static String kernelMessage(ByteReader ack, byte[] payload, int flags) {
        if ((flags & NLM_F_ACK_TLVS) == 0 || payload.length < 4 + NLMSG_HDRLEN) {
            return "";
        }
        long start = 4 + ((flags & NLM_F_CAPPED) != 0 ? NLMSG_HDRLEN : ack.u32(4));
        if (start > payload.length) {
            throw ack.fail(4, "refused request of " + ack.u32(4) + " bytes in a " + payload.length + "-byte error message");
        }
        return Attributes.parse(payload, (int) start, "netlink error attributes").string(NLMSGERR_ATTR_MSG, "NLMSGERR_ATTR_MSG")
                .orElse("");
    }
}
