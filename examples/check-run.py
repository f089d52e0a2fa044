#!/usr/bin/env python3
"""Runs the packet examples on hand-made packets through the kernel's BPF_PROG_TEST_RUN (`bpftool prog run`)
and checks verdicts, rewritten packets and map contents. Nothing is attached to any interface: test runs execute
a loaded program on a buffer. Objects are pinned in a private bpffs that is unmounted on exit.

Usage: check-run.py [OUT_DIR]   (default: target/bpf beside this script). Needs root and bpftool.
Exit status: 0 when every check passed, 1 otherwise.

Note: BPF_PROG_TEST_RUN hands cgroup_skb programs the packet from the network header on, as the kernel does.
"""
import ipaddress
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, 'target', 'bpf')
XDP_DROP, XDP_PASS, XDP_TX = 1, 2, 3
TC_ACT_OK, TC_ACT_SHOT = 0, 2
MAC_A = bytes.fromhex('020000000001')
MAC_B = bytes.fromhex('020000000002')

failures = 0


def check(condition, what):
    global failures
    print(('PASS  ' if condition else 'FAIL  ') + what)
    failures += not condition


def bpftool(*args, check_rc=True):
    r = subprocess.run(['bpftool', *args], capture_output=True, text=True)
    if check_rc and r.returncode:
        raise RuntimeError(f"bpftool {' '.join(args)}: {r.stderr.strip()}")
    return r


def hexbytes(b):
    return [f'{x:02x}' for x in b]


# --- packet construction --------------------------------------------------------------------------------
def csum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack(f'!{len(b) // 2}H', b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def eth(proto, payload):
    return MAC_B + MAC_A + struct.pack('!H', proto) + payload


def ip4(src, dst, proto, payload):
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), 1, 0, 64, proto, 0,
                    socket.inet_aton(src), socket.inet_aton(dst))
    return h[:10] + struct.pack('!H', csum(h)) + h[12:] + payload


def ip6(src, dst, next_header, payload):
    return (struct.pack('!IHBB', 0x60000000, len(payload), next_header, 64)
            + ipaddress.ip_address(src).packed + ipaddress.ip_address(dst).packed + payload)


def udp(sport, dport, data):
    return struct.pack('!HHHH', sport, dport, 8 + len(data), 0) + data


def tcp(sport, dport):
    return struct.pack('!HHIIBBHHH', sport, dport, 1, 0, 0x50, 0x02, 8192, 0, 0)


def l4_csum(src, dst, proto, segment):
    if ':' in src:
        pseudo = (ipaddress.ip_address(src).packed + ipaddress.ip_address(dst).packed
                  + struct.pack('!I3xB', len(segment), proto))
    else:
        pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack('!BBH', 0, proto, len(segment))
    return csum(pseudo + segment)


def with_l4_csum(segment, offset, src, dst, proto):
    return segment[:offset] + struct.pack('!H', l4_csum(src, dst, proto, segment)) + segment[offset + 2:]


# --- kernel side ----------------------------------------------------------------------------------------
class Object:
    """One object loaded with its programs and maps pinned under the private bpffs."""

    def __init__(self, root, relpath):
        name = relpath.replace('/', '_').replace('.', '_').replace('-', '_')  # bpffs refuses '.' in names
        self.progs = os.path.join(root, name + '_progs')
        self.maps = os.path.join(root, name + '_maps')
        bpftool('prog', 'loadall', os.path.join(OUT, relpath), self.progs, 'pinmaps', self.maps)

    def run(self, prog, packet):
        with tempfile.TemporaryDirectory(prefix='bst-ex-run-') as d:
            data_in, data_out = os.path.join(d, 'in'), os.path.join(d, 'out')
            with open(data_in, 'wb') as f:
                f.write(packet)
            r = bpftool('-j', 'prog', 'run', 'pinned', os.path.join(self.progs, prog),
                        'data_in', data_in, 'data_out', data_out)
            with open(data_out, 'rb') as f:
                return json.loads(r.stdout)['retval'], f.read()

    def update(self, map_name, key, value):
        bpftool('map', 'update', 'pinned', os.path.join(self.maps, map_name),
                'key', 'hex', *hexbytes(key), 'value', 'hex', *hexbytes(value))

    def lookup(self, map_name, key):
        """The value as bytes, or for per-CPU maps the list of per-CPU values; None when absent."""
        r = bpftool('-j', 'map', 'lookup', 'pinned', os.path.join(self.maps, map_name), 'key', 'hex',
                    *hexbytes(key), check_rc=False)
        if r.returncode:
            return None
        j = json.loads(r.stdout)
        if 'values' in j:
            return [bytes(int(x, 16) for x in v['value']) for v in j['values']]
        return bytes(int(x, 16) for x in j['value'])

    def percpu_sum_u64(self, map_name, key, field=0):
        values = self.lookup(map_name, key) or []
        return sum(struct.unpack_from('<Q', v, field * 8)[0] for v in values)


def u32(n):
    return struct.pack('<I', n)


def test_xdp_counter(root):
    o = Object(root, 'xdp_counter.o')
    pkt = eth(0x86dd, ip6('fd00::1', 'fd00::2', 17, udp(1, 2, b'a')))
    o.run('xdp_count', pkt)
    check(o.percpu_sum_u64('counters', u32(17), 0) == 1 and o.percpu_sum_u64('counters', u32(17), 1) == len(pkt),
          'xdp_count: IPv6/UDP packet counted under protocol 17 with its length')


def test_xdp_firewall(root):
    o = Object(root, 'xdp_firewall.o')
    o.update('deny_src_v4', u32(8) + socket.inet_aton('10.0.0.0'), bytes(8))
    o.update('deny_src_v6', u32(32) + ipaddress.ip_address('2001:db8::').packed, bytes(8))
    o.update('deny_dst_port', struct.pack('<BBH', 17, 0, 53), bytes(8))
    cases = [
        ('IPv4 source in 10.0.0.0/8 dropped', XDP_DROP, eth(0x800, ip4('10.1.2.3', '192.168.0.1', 17, udp(1000, 2000, b'x')))),
        ('IPv4 source outside passes', XDP_PASS, eth(0x800, ip4('11.1.2.3', '192.168.0.1', 17, udp(1000, 2000, b'x')))),
        ('UDP/53 dropped', XDP_DROP, eth(0x800, ip4('11.1.2.3', '192.168.0.1', 17, udp(1000, 53, b'x')))),
        ('TCP/53 passes (rule is UDP only)', XDP_PASS, eth(0x800, ip4('11.1.2.3', '192.168.0.1', 6, tcp(1000, 53)))),
        ('IPv6 source in 2001:db8::/32 dropped', XDP_DROP, eth(0x86dd, ip6('2001:db8::5', '2001:db9::1', 17, udp(1, 2, b'y')))),
        ('IPv6 other source passes', XDP_PASS, eth(0x86dd, ip6('2001:db9::5', '2001:db9::1', 17, udp(1, 2, b'y')))),
        ('IPv6 UDP/53 behind a hop-by-hop header dropped', XDP_DROP,
         eth(0x86dd, ip6('2001:db9::5', '2001:db9::1', 0, bytes([17, 0]) + bytes(6) + udp(1, 53, b'y')))),
        ('IPv4 behind a VLAN tag dropped', XDP_DROP,
         MAC_B + MAC_A + struct.pack('!HHH', 0x8100, 5, 0x800) + ip4('10.9.9.9', '1.1.1.1', 17, udp(1, 2, b'z'))),
        ('truncated IPv4 header passes', XDP_PASS, eth(0x800, b'\x45\x00')),
    ]
    for what, expected, pkt in cases:
        check(o.run('xdp_firewall', pkt)[0] == expected, 'xdp_firewall: ' + what)
    hits = o.lookup('deny_src_v4', u32(8) + socket.inet_aton('10.0.0.0'))
    check(hits is not None and struct.unpack('<Q', hits)[0] == 2, 'xdp_firewall: 10.0.0.0/8 entry counted 2 hits')
    check(o.percpu_sum_u64('fw_stats', u32(3)) == 2, 'xdp_firewall: fw_stats counted 2 port drops')


def test_xdp_reflect(root):
    o = Object(root, 'xdp_reflect.o')
    seg = with_l4_csum(udp(1111, 2222, b'hello'), 6, '10.0.0.1', '10.0.0.2', 17)
    verdict, out = o.run('xdp_reflect', eth(0x800, ip4('10.0.0.1', '10.0.0.2', 17, seg)))
    check(verdict == XDP_TX, 'xdp_reflect: UDP bounced with XDP_TX')
    check(out[0:6] == MAC_A and out[6:12] == MAC_B, 'xdp_reflect: MACs swapped')
    check(out[26:30] == socket.inet_aton('10.0.0.2') and out[30:34] == socket.inet_aton('10.0.0.1'),
          'xdp_reflect: IPv4 addresses swapped')
    check(struct.unpack('!HH', out[34:38]) == (2222, 1111), 'xdp_reflect: UDP ports swapped')
    check(csum(out[14:34]) == 0 and l4_csum('10.0.0.2', '10.0.0.1', 17, out[34:]) == 0,
          'xdp_reflect: IPv4 and UDP checksums still valid')
    icmp = struct.pack('!BBHHH', 8, 0, 0, 0x1234, 1) + b'pingdata'
    icmp = icmp[:2] + struct.pack('!H', csum(icmp)) + icmp[4:]
    verdict, out = o.run('xdp_reflect', eth(0x800, ip4('10.0.0.1', '10.0.0.2', 1, icmp)))
    check(verdict == XDP_TX and out[34] == 0 and csum(out[34:]) == 0, 'xdp_reflect: ICMP echo request -> valid echo reply')
    icmp6 = with_l4_csum(struct.pack('!BBHHH', 128, 0, 0, 7, 1) + b'ping6', 2, 'fd00::1', 'fd00::2', 58)
    verdict, out = o.run('xdp_reflect', eth(0x86dd, ip6('fd00::1', 'fd00::2', 58, icmp6)))
    check(verdict == XDP_TX and out[54] == 129 and l4_csum('fd00::2', 'fd00::1', 58, out[54:]) == 0,
          'xdp_reflect: ICMPv6 echo request -> valid echo reply')
    ns = struct.pack('!BBHI', 135, 0, 0, 0) + bytes(16)
    check(o.run('xdp_reflect', eth(0x86dd, ip6('fd00::1', 'ff02::1:ff00:2', 58, ns)))[0] == XDP_PASS,
          'xdp_reflect: neighbour solicitation passes')
    check(o.run('xdp_reflect', eth(0x806, bytes(28)))[0] == XDP_PASS, 'xdp_reflect: ARP passes')
    check(o.run('xdp_reflect', eth(0x800, ip4('10.0.0.1', '10.0.0.2', 6, tcp(1, 2))))[0] == XDP_PASS,
          'xdp_reflect: TCP passes')


def test_tc_port_drop(root):
    o = Object(root, 'tc_port_drop.o')
    o.update('blocked_ports', struct.pack('<H', 8080), bytes(8))
    check(o.run('tc_drop_port', eth(0x800, ip4('1.1.1.1', '2.2.2.2', 6, tcp(5, 8080))))[0] == TC_ACT_SHOT,
          'tc_drop_port: TCP/8080 shot')
    check(o.run('tc_drop_port', eth(0x86dd, ip6('fd00::1', 'fd00::2', 17, udp(5, 8080, b'x'))))[0] == TC_ACT_SHOT,
          'tc_drop_port: IPv6 UDP/8080 shot')
    check(o.run('tc_drop_port', eth(0x800, ip4('1.1.1.1', '2.2.2.2', 6, tcp(5, 8081))))[0] == TC_ACT_OK,
          'tc_drop_port: TCP/8081 passes')
    check(struct.unpack('<Q', o.lookup('blocked_ports', struct.pack('<H', 8080)))[0] == 2,
          'tc_drop_port: 2 drops counted for 8080')


def test_tc_flow_bytes(root):
    o = Object(root, 'tc_flow_bytes.o')
    pkt = eth(0x800, ip4('1.1.1.1', '2.2.2.2', 17, udp(5000, 6000, b'q' * 30)))
    o.run('tc_flow_account', pkt)
    o.run('tc_flow_account', pkt)
    key = (struct.pack('<BBHHH', 2, 17, 5000, 6000, 0) + socket.inet_aton('1.1.1.1') + bytes(12)
           + socket.inet_aton('2.2.2.2') + bytes(12))
    value = o.lookup('flows', key)
    packets, nbytes, first, last = struct.unpack('<QQQQ', value) if value else (0, 0, 0, 0)
    check(packets == 2 and nbytes == 2 * len(pkt) and 0 < first <= last,
          f'tc_flow_account: flow has 2 packets, {2 * len(pkt)} bytes, first <= last seen')


def test_cgroup_firewall(root):
    o = Object(root, 'cgroup_firewall.o')
    o.update('deny_dst_v4', u32(24) + socket.inet_aton('192.0.2.0'), bytes(8))
    o.update('deny_dst_ports', struct.pack('<BBH', 6, 0, 25), bytes(8))
    check(o.run('cgroup_egress_fw', eth(0x800, ip4('10.0.0.1', '192.0.2.7', 17, udp(1, 2, b'x'))))[0] == 0,
          'cgroup_egress_fw: destination in 192.0.2.0/24 refused')
    check(o.run('cgroup_egress_fw', eth(0x800, ip4('10.0.0.1', '198.51.100.7', 6, tcp(1, 25))))[0] == 0,
          'cgroup_egress_fw: TCP/25 refused')
    check(o.run('cgroup_egress_fw', eth(0x800, ip4('10.0.0.1', '198.51.100.7', 6, tcp(1, 80))))[0] == 1,
          'cgroup_egress_fw: TCP/80 allowed')


def test_cgroup_data_usage(root):
    o = Object(root, 'cgroup_data_usage.o')
    pkt = eth(0x800, ip4('10.0.0.1', '10.0.0.2', 17, udp(1, 2, b'x' * 10)))
    o.run('cgroup_count_out', pkt)
    o.run('cgroup_count_out', pkt)
    o.run('cgroup_count_in', pkt)
    # test runs give the packet a throw-away socket: whatever its uid, exactly one uid must carry the traffic
    dump = json.loads(bpftool('-j', 'map', 'dump', 'pinned', os.path.join(o.maps, 'uid_stats')).stdout)
    rows = [struct.unpack('<QQQQ', bytes(int(x, 16) for x in e['value'])) for e in dump]
    ip_len = len(pkt) - 14  # cgroup_skb counts from the network header
    check(rows == [(ip_len, 1, 2 * ip_len, 2)],
          f'cgroup_count_in/out: one uid with rx 1 packet/{ip_len} bytes, tx 2 packets/{2 * ip_len} bytes (got {rows})')


def test_global_data(root):
    o = Object(root, 'global_data.o')
    for i in range(8):
        o.run('tc_len_sampler', eth(0x800, ip4('1.1.1.1', '2.2.2.2', 17, udp(1, 2, b'x' * i))))
    bss = next(n for n in os.listdir(o.maps) if n.endswith('_bss'))
    dump = json.loads(bpftool('-j', 'map', 'dump', 'pinned', os.path.join(o.maps, bss)).stdout)
    fields = {k: v for f in dump[0]['formatted']['value']['.bss'] for k, v in f.items()}
    check(fields['packets_seen'] == 8 and fields['packets_sampled'] == 2 and fields['sampled_len'][:2] == [45, 49],
          'tc_len_sampler: .bss counts 8 seen, 2 sampled (every 4th: lengths 45, 49)')


def test_subprog_calls(root):
    o = Object(root, 'subprog_calls.o')
    o.run('xdp_size_hist', eth(0x800, ip4('1.1.1.1', '2.2.2.2', 17, udp(1, 2, b'x' * 100))))
    check(o.percpu_sum_u64('size_histogram', u32(2)) == 1, 'xdp_size_hist: 142-byte frame in bucket 2 [128, 256)')


def test_tail_calls(root):
    o = Object(root, 'tail_calls.o')
    o.run('xdp_dispatch', eth(0x86dd, ip6('fd00::1', 'fd00::2', 17, udp(1, 2, b'a'))))
    o.run('xdp_dispatch', eth(0x806, bytes(28)))
    check(o.percpu_sum_u64('tail_stats', u32(1)) == 1 and o.percpu_sum_u64('tail_stats', u32(2)) == 1
          and o.percpu_sum_u64('tail_stats', u32(3)) == 0,
          'xdp_dispatch: IPv6 and ARP frames reached their handlers through the prog array')


def test_loops(root):
    o = Object(root, 'loops.o')
    o.update('port_rules', u32(3), struct.pack('<HHII', 9999, 0, 0, 0))
    data = bytes(range(1, 41))
    o.run('xdp_loops', eth(0x800, ip4('1.1.1.1', '2.2.2.2', 17, udp(1, 9999, data))))
    _, _, hits, last_sum = struct.unpack('<HHII', o.lookup('port_rules', u32(3)))
    expected = sum(struct.unpack('!20H', data))
    while expected >> 16:
        expected = (expected & 0xffff) + (expected >> 16)
    check(hits == 1 and last_sum == expected, f'xdp_loops: rule 3 hit once, payload sum {last_sum:#x} == {expected:#x}')


def test_v4_calc(root, relpath):
    o = Object(root, relpath)

    def calc(a, b, c):
        payload = struct.pack('!hbBiqiHH', a, b, 0, c, 0, 0, 0, 0)
        verdict, out = o.run('xdp_signed_calc', eth(0x800, ip4('1.1.1.1', '2.2.2.2', 17, udp(1, 7777, payload))))
        return (verdict,) + struct.unpack('!qih', out[50:64])

    check(calc(-7, 2, 3) == (XDP_PASS, -10, 1, -4), f'{relpath}: -7*3/2 = -10, 3%2 = 1, (s8)(-4) = -4')
    check(calc(100, -3, -5) == (XDP_PASS, 166, -2, 95), f'{relpath}: 100*-5/-3 = 166, -5%-3 = -2, (s8)95 = 95')
    check(calc(100, 1, 200)[3] == 44, f'{relpath}: (s8)300 = 44 (sign extension of the low byte)')
    check(calc(1, 0, 1)[0] == XDP_DROP, f'{relpath}: division by zero dropped')


def main():
    if os.geteuid() != 0:
        sys.exit('check-run: must run as root')
    root = tempfile.mkdtemp(prefix='bst-ex-run-')
    subprocess.run(['mount', '-t', 'bpf', 'bst-ex', root], check=True)
    try:
        test_xdp_counter(root)
        test_xdp_firewall(root)
        test_xdp_reflect(root)
        test_tc_port_drop(root)
        test_tc_flow_bytes(root)
        test_cgroup_firewall(root)
        test_cgroup_data_usage(root)
        test_global_data(root)
        test_subprog_calls(root)
        test_tail_calls(root)
        test_loops(root)
        test_v4_calc(root, 'toolchains/v4_insns.v4.o')
        test_v4_calc(root, 'toolchains/v4_insns.v4-nobtf.o')
    finally:
        subprocess.run(['umount', root])  # drops every pin, so every program and map is released
        os.rmdir(root)
    print(f'check-run: {failures} failure(s)')
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
