/**
 * The host inventory: every program, map, link and BTF object loaded on this host, whoever loaded it,
 * read with the *_GET_NEXT_ID / *_GET_FD_BY_ID / OBJ_GET_INFO_BY_FD commands.
 *
 * <p>Traps: the inventory is a snapshot of a moving target. Objects can disappear between listing an id
 * and opening it (they are then left out, not reported as errors), and new ones can appear at any time.
 * Seeing everything needs CAP_SYS_ADMIN; without it the kernel refuses GET_FD_BY_ID. Interface indexes
 * of links are relative to the link's network namespace, which the kernel does not report for every type.
 */
package io.bpfstore.kernel.inventory;
