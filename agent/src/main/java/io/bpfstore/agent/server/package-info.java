/**
 * The agent's API server: HTTP/1.1 + JSON on a unix socket (Jetty's unix-domain connector), routes under
 * {@code /v1/} as docs/agent-api.yaml describes them ({@link io.bpfstore.agent.server.ApiHandler}), callers
 * identified by the socket's peer credentials ({@link io.bpfstore.agent.server.Caller}).
 *
 * <p>Traps: SO_PEERCRED names the peer's user and primary group as they were when it connected; supplementary
 * groups are not in it, so the admin group must be the caller's primary group (or use root).
 */
package io.bpfstore.agent.server;
