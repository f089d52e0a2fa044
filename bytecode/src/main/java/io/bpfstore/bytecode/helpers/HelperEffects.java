package io.bpfstore.bytecode.helpers;

import java.util.EnumSet;
import java.util.Set;

/**
 * The table of helper facts: which {@link HelperEffect}s each helper has, by its C name. Families that the kernel
 * names consistently ({@code *redirect*}, {@code *adjust_*}, {@code *_change_*}, {@code bpf_skb_vlan_*}) are matched
 * by name so that helpers added to the catalog later are classified too; the rest are listed.
 */
final class HelperEffects {
    private HelperEffects() {
    }

    /** The effects of the helper named {@code name}. */
    static Set<HelperEffect> of(String name) {
        EnumSet<HelperEffect> out = EnumSet.noneOf(HelperEffect.class);
        switch (name) {
            case "bpf_probe_read_kernel", "bpf_probe_read_kernel_str", "bpf_get_current_task",
                 "bpf_get_current_task_btf", "bpf_per_cpu_ptr", "bpf_this_cpu_ptr", "bpf_d_path",
                 "bpf_snprintf_btf", "bpf_task_pt_regs", "bpf_get_stack", "bpf_get_task_stack",
                 "bpf_find_vma", "bpf_get_func_arg", "bpf_get_func_ret" -> out.add(HelperEffect.READS_KERNEL_MEMORY);
            case "bpf_probe_read", "bpf_probe_read_str" -> {
                // the legacy helpers read kernel or user addresses alike
                out.add(HelperEffect.READS_KERNEL_MEMORY);
                out.add(HelperEffect.READS_USER_MEMORY);
            }
            case "bpf_probe_read_user", "bpf_probe_read_user_str", "bpf_copy_from_user", "bpf_copy_from_user_task",
                 "bpf_access_process_vm" -> out.add(HelperEffect.READS_USER_MEMORY);
            case "bpf_probe_write_user" -> out.add(HelperEffect.WRITES_USER_MEMORY);
            case "bpf_override_return" -> out.add(HelperEffect.OVERRIDES_RETURN);
            case "bpf_send_signal", "bpf_send_signal_thread" -> out.add(HelperEffect.SENDS_SIGNAL);
            case "bpf_ringbuf_output", "bpf_ringbuf_reserve", "bpf_ringbuf_reserve_dynptr", "bpf_perf_event_output",
                 "bpf_skb_output", "bpf_xdp_output", "bpf_trace_printk", "bpf_trace_vprintk", "bpf_seq_printf",
                 "bpf_seq_write", "bpf_seq_printf_btf" -> out.add(HelperEffect.EXPORTS_DATA);
            case "bpf_get_current_comm", "bpf_get_current_pid_tgid", "bpf_get_current_uid_gid",
                 "bpf_get_current_cgroup_id", "bpf_get_current_ancestor_cgroup_id", "bpf_get_ns_current_pid_tgid",
                 "bpf_get_socket_uid" -> out.add(HelperEffect.READS_TASK_IDENTITY);
            case "bpf_tail_call" -> out.add(HelperEffect.TAIL_CALL);
            case "bpf_map_lookup_elem" -> out.add(HelperEffect.LOOKS_UP_MAP);
            case "bpf_map_update_elem", "bpf_map_delete_elem", "bpf_map_push_elem", "bpf_map_pop_elem" ->
                    out.add(HelperEffect.WRITES_MAP);
            case "bpf_skb_store_bytes", "bpf_l3_csum_replace", "bpf_l4_csum_replace", "bpf_skb_ecn_set_ce" ->
                    out.add(HelperEffect.WRITES_PACKET_DATA);
            case "bpf_skb_pull_data", "bpf_msg_pull_data" -> out.add(HelperEffect.PULLS_PACKET_DATA);
            case "bpf_skb_load_bytes" -> out.add(HelperEffect.COPIES_PACKET_BYTES);
            default -> { }
        }
        if (name.contains("redirect")) {
            out.add(HelperEffect.REDIRECTS);
            if (!name.contains("clone")) {
                out.add(HelperEffect.RETURNS_VERDICT);
            }
        }
        if (name.contains("clone")) {
            out.add(HelperEffect.CLONES);
        }
        if (name.contains("adjust_") || name.contains("_change_") || name.startsWith("bpf_skb_vlan_")
                || name.startsWith("bpf_msg_push") || name.startsWith("bpf_msg_pop") || name.startsWith("bpf_lwt_push")) {
            out.add(HelperEffect.RESIZES_PACKET);
        }
        if (name.startsWith("bpf_skb_set_tunnel")) {
            out.add(HelperEffect.SETS_TUNNEL_METADATA);
        }
        boolean keepsArguments = out.contains(HelperEffect.LOOKS_UP_MAP) || name.equals("bpf_map_update_elem")
                || name.equals("bpf_map_delete_elem") || out.contains(HelperEffect.TAIL_CALL) || name.endsWith("_output");
        if (!keepsArguments) {
            out.add(HelperEffect.WRITES_ARGUMENT_MEMORY);
        }
        return out;
    }
}
