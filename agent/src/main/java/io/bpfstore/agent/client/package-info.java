/**
 * The agent's client for the CLI: {@link io.bpfstore.agent.client.AgentClient} speaks the API over the unix
 * socket. It loads only the JDK, Jackson and {@code io.bpfstore.agent.api}: no kernel, analysis or registry code,
 * so a command that goes through the agent starts as fast as the JVM allows. HTTP/1.1 is written by hand here
 * (one request per connection, fixed-length or chunked responses) because an HTTP client library's start-up would
 * cost more than the whole request: the JDK's {@code HttpClient} cannot reach a unix socket, and Jetty's client
 * loads several hundred classes.
 */
package io.bpfstore.agent.client;
