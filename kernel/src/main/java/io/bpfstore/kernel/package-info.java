/**
 * The kernel layer: bpf(2) and rtnetlink through the Foreign Function &amp; Memory API, the object loader,
 * attachments (links), feature probes and the host inventory. No libbpf at run time.
 */
package io.bpfstore.kernel;
