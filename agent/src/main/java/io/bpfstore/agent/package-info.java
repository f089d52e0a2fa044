/**
 * The host agent: one resident bpfstore per host. It owns the installations (state database and pins), serves
 * an HTTP/1.1 + JSON API on a unix socket, watches the host for changes others make to its hooks, exports
 * Prometheus metrics, restores installations after a reboot and follows registry versions through the same
 * gates as {@code install}. See {@code docs/agent.md}.
 */
package io.bpfstore.agent;
