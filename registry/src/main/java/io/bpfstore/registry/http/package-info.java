/**
 * A thin blocking layer over Jetty's core {@code Handler} API: {@link io.bpfstore.registry.http.Exchange}
 * wraps one request, its response and its completion callback. Handlers run on virtual threads, so they read
 * bodies as plain {@code InputStream}s and block freely.
 *
 * <p>Trap: every exchange must be completed exactly once (a response sent or the callback failed); the
 * {@code respond*} methods do it, and a second call throws rather than corrupting the connection.
 */
package io.bpfstore.registry.http;
