package io.bpfstore.analysis.summary;

import io.bpfstore.analysis.domain.Atom;
import io.bpfstore.analysis.domain.Atom.FieldTest;
import io.bpfstore.bytecode.asm.JumpCondition;
import io.bpfstore.bytecode.sections.ProgramType;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The header layout a path's facts imply (VLAN tags, the network protocol, the transport protocol) and the
 * names of packet fields under it.
 *
 * @param vlanTags   VLAN tag names in order ("802.1Q", "802.1ad")
 * @param l3         offset of the network header, -1 when unknown
 * @param ethertype  the network protocol's ethertype, 0 when unknown
 * @param l4         offset of the transport header (without IPv4 options or IPv6 extension headers), -1 when unknown
 * @param protocol   the transport protocol number, -1 when unknown
 * @param ethernet   whether the packet starts with an Ethernet header
 */
public record HeaderLayout(List<String> vlanTags, int l3, int ethertype, int l4, int protocol, boolean ethernet) {
    static final int IPV4 = 0x0800;
    static final int IPV6 = 0x86dd;
    /** The protocol when a path knows only that it is TCP or UDP. */
    static final int TCP_OR_UDP = -2;
    private static final Map<Integer, String> ETHERTYPES = Map.of(IPV4, "IPv4", IPV6, "IPv6", 0x0806, "ARP",
            0x8100, "802.1Q", 0x88a8, "802.1ad");
    private static final Map<Integer, String> PROTOCOLS = Map.ofEntries(Map.entry(1, "ICMP"), Map.entry(6, "TCP"),
            Map.entry(17, "UDP"), Map.entry(58, "ICMPv6"), Map.entry(132, "SCTP"), Map.entry(47, "GRE"),
            Map.entry(50, "ESP"), Map.entry(0, "hop-by-hop options"), Map.entry(43, "routing header"),
            Map.entry(44, "fragment header"), Map.entry(60, "destination options"), Map.entry(2, "IGMP"));
    /** Offset of {@code protocol} in {@code struct __sk_buff}. */
    static final int SKB_PROTOCOL = 16;

    /** The layout the facts of a path imply for a program of {@code type}. */
    static HeaderLayout of(List<Atom> facts, ProgramType type) {
        boolean ethernet = type != ProgramType.CGROUP_SKB;
        List<String> tags = new java.util.ArrayList<>();
        int l3 = -1, ethertype = 0;
        if (ethernet) {
            int pos = 12;
            while (true) {
                Optional<Long> v = equalTo(facts, pos, 2);
                if (v.isPresent() && (v.get() == 0x8100 || v.get() == 0x88a8)) {
                    tags.add(ETHERTYPES.get(v.get().intValue()));
                    pos += 4;
                    continue;
                }
                if (v.isEmpty() && isVlanSet(facts, pos)) {
                    tags.add("VLAN");
                    pos += 4;
                    continue;
                }
                l3 = pos + 2;
                ethertype = v.map(Long::intValue).orElse(0);
                if (ethertype == 0 && tags.isEmpty()) {
                    ethertype = skbProtocol(facts);
                }
                break;
            }
        } else {
            l3 = 0;
            ethertype = skbProtocol(facts);
        }
        int l4 = -1, protocol = -1;
        if (ethertype == IPV4) {
            l4 = l3 + 20;
            protocol = equalTo(facts, l3 + 9, 1).map(Long::intValue).orElse(tcpOrUdp(facts, l3 + 9));
        } else if (ethertype == IPV6) {
            l4 = l3 + 40;
            protocol = equalTo(facts, l3 + 6, 1).map(Long::intValue).orElse(tcpOrUdp(facts, l3 + 6));
        }
        return new HeaderLayout(tags, l3, ethertype, l4, protocol, ethernet);
    }

    /** {@link #TCP_OR_UDP} when the facts say the protocol field is TCP or UDP, else -1. */
    private static int tcpOrUdp(List<Atom> facts, int offset) {
        for (Atom a : facts) {
            if (a instanceof Atom.FieldIn in && in.offset() == offset && in.size() == 1 && in.exactOffset()
                    && in.mask() == 0xff && java.util.Set.of(6L, 17L).containsAll(in.values())) {
                return TCP_OR_UDP;
            }
        }
        return -1;
    }

    /** Whether the facts say the field at {@code pos} is one of the VLAN ethertypes. */
    private static boolean isVlanSet(List<Atom> facts, int pos) {
        for (Atom a : facts) {
            if (a instanceof Atom.FieldIn in && in.offset() == pos && in.size() == 2 && in.exactOffset()
                    && in.mask() == 0xffff && (in.values().equals(java.util.Set.of(0x8100L, 0x88a8L)))) {
                return true;
            }
        }
        return false;
    }

    /** The ethertype {@code skb->protocol} was found equal to, 0 when none. */
    private static int skbProtocol(List<Atom> facts) {
        int ethertype = 0;
        for (Atom a : facts) {
            if (a instanceof Atom.CtxTest t && t.offset() == SKB_PROTOCOL && t.condition() == JumpCondition.EQ) {
                ethertype = Short.reverseBytes((short) t.value()) & 0xffff;
            }
        }
        return ethertype;
    }

    private static Optional<Long> equalTo(List<Atom> facts, int offset, int size) {
        for (Atom a : facts) {
            if (a instanceof FieldTest t && t.offset() == offset && t.size() == size && t.exactOffset()
                    && t.condition() == JumpCondition.EQ && t.mask() == (1L << (8 * size)) - 1) {
                return Optional.of(t.value());
            }
        }
        return Optional.empty();
    }

    /** The name of an ethertype. */
    static String ethertypeName(long v) {
        return ETHERTYPES.getOrDefault((int) v, String.format("ethertype 0x%04x", v));
    }

    /** The name of an IP protocol number. */
    static String protocolName(long v) {
        if (v == TCP_OR_UDP) {
            return "TCP/UDP";
        }
        return PROTOCOLS.getOrDefault((int) v, "protocol " + v);
    }

    /** Whether {@code [offset, offset+size)} is the (innermost) ethertype field. */
    boolean isEthertype(int offset, int size) {
        return ethernet && size == 2 && offset >= 12 && offset == l3 - 2;
    }

    /** Whether {@code [offset, offset+size)} is an ethertype or VLAN-encapsulated protocol field. */
    boolean isAnyEthertype(int offset, int size) {
        return ethernet && size == 2 && offset >= 12 && offset <= l3 - 2 && (offset - 12) % 4 == 0;
    }

    /** Whether {@code [offset, offset+size)} is the transport protocol field of the network header. */
    boolean isProtocol(int offset, int size) {
        return size == 1 && (ethertype == IPV4 && offset == l3 + 9 || ethertype == IPV6 && offset == l3 + 6);
    }

    /** The name of the field {@code [offset, offset+size)}, or of the bytes when it matches none. */
    String fieldName(int offset, int size) {
        String ip = ethertype == IPV4 ? "IPv4 " : ethertype == IPV6 ? "IPv6 " : "";
        if (ethernet && offset + size <= 14) {
            if (offset == 0 && size == 6) {
                return "Ethernet dst";
            }
            if (offset == 6 && size == 6) {
                return "Ethernet src";
            }
            if (offset == 12 && size == 2) {
                return "ethertype";
            }
        }
        if (l3 >= 0 && ethertype == IPV4) {
            int r = offset - l3;
            String name = switch (r) {
                case 0 -> size == 1 ? "version/header length" : null;
                case 1 -> size == 1 ? "TOS" : null;
                case 2 -> size == 2 ? "total length" : null;
                case 6 -> size == 2 ? "flags/fragment offset" : null;
                case 8 -> size == 1 ? "TTL" : null;
                case 9 -> size == 1 ? "protocol" : null;
                case 10 -> size == 2 ? "IPv4 checksum" : null;
                case 12 -> size == 4 ? "src" : null;
                case 16 -> size == 4 ? "dst" : null;
                default -> null;
            };
            if (name != null) {
                return name;
            }
        }
        if (l3 >= 0 && ethertype == IPV6) {
            int r = offset - l3;
            String name = switch (r) {
                case 6 -> size == 1 ? "next header" : null;
                case 7 -> size == 1 ? "hop limit" : null;
                case 8 -> size == 16 ? "src" : null;
                case 24 -> size == 16 ? "dst" : null;
                default -> null;
            };
            if (name != null) {
                return name;
            }
        }
        if (l4 >= 0) {
            int r = offset - l4;
            if (protocol == 6 || protocol == 17 || protocol == TCP_OR_UDP || protocol == -1) {
                if (r == 0 && size == 2) {
                    return (protocol == -1 ? "L4 " : "") + "src port";
                }
                if (r == 2 && size == 2) {
                    return (protocol == -1 ? "L4 " : "") + "dst port";
                }
            }
            if (protocol == 17 && r == 6 && size == 2) {
                return "UDP checksum";
            }
            if (protocol == 6 && r == 16 && size == 2) {
                return "TCP checksum";
            }
            if (protocol == 6 && r == 13 && size == 1) {
                return "TCP flags";
            }
            if ((protocol == 1 || protocol == 58) && r == 0 && size == 1) {
                return (protocol == 1 ? "ICMP" : "ICMPv6") + " type";
            }
            if ((protocol == 1 || protocol == 58) && r == 2 && size == 2) {
                return (protocol == 1 ? "ICMP" : "ICMPv6") + " checksum";
            }
        }
        return ip + (size == 1 ? "packet byte " + offset : "packet bytes " + offset + ".." + (offset + size - 1));
    }
}
