/**
 * What callers can make the registry spend, bounded: upload sessions and staged bytes ({@link
 * io.bpfstore.registry.limits.RegistryLimits}), failed logins and token requests ({@link
 * io.bpfstore.registry.limits.RateLimiter}), and CPU-bound work kept off the request threads: {@link io.bpfstore.registry.limits.AnalysisPool} runs the analysis of
 * pushed objects (permissions at push, disassembly and reports for the web UI) on a few platform threads with a
 * bounded queue and a time budget per task.
 *
 * <p>Traps: the server's request threads are virtual threads on as many carriers as there are cores; a virtual
 * thread that computes for minutes holds its carrier the whole time, so two anonymous page views of a large object
 * used to stop every pull. A request that needs an analysis waits for the pool's future instead (a parked virtual
 * thread frees its carrier). A task that overruns its budget is reported as "too large" at once; the analysis code
 * does not poll for interruption, so its thread finishes in the background, which is why the pool is small and its
 * queue bounded, and why objects are also refused by size (instructions) before any analysis starts.
 */
package io.bpfstore.registry.limits;
