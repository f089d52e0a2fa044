package io.bpfstore.registry.limits;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A few platform threads for expensive analysis, shared by the push checks and the web UI, so request threads only
 * ever wait for it (see the package documentation).
 */
public final class AnalysisPool implements AutoCloseable {
    private final ThreadPoolExecutor executor;
    private final Duration budget;

    /**
     * @param threads worker threads (at least 1)
     * @param queue   tasks that may wait for a worker; more are refused ({@link Busy})
     * @param budget  how long one task may take before it counts as too large
     */
    public AnalysisPool(int threads, int queue, Duration budget) {
        if (threads < 1 || queue < 1 || budget.isNegative() || budget.isZero()) {
            throw new IllegalArgumentException("analysis pool needs at least one thread, a queue and a budget");
        }
        AtomicInteger n = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queue), r -> {
                    Thread t = new Thread(r, "registry-analysis-" + n.incrementAndGet());
                    t.setDaemon(true);
                    t.setPriority(Thread.NORM_PRIORITY - 1); // below the request threads' carriers
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        this.executor.allowCoreThreadTimeOut(true);
        this.budget = budget;
    }

    /** The time one task may take. */
    public Duration budget() {
        return budget;
    }

    /** Queues {@code task}; {@link Busy} when the queue is full. */
    public <T> Future<T> submit(Callable<T> task) throws Busy {
        try {
            return executor.submit(task);
        } catch (RejectedExecutionException e) {
            throw new Busy();
        }
    }

    /**
     * Runs {@code task} on the pool and waits for it, at most the budget: the caller's (virtual) thread parks
     * meanwhile instead of computing.
     *
     * @throws OverBudget when it takes longer (the task is cancelled)
     * @throws Busy       when the queue is full
     * @throws ExecutionException with what the task threw
     */
    public <T> T run(Callable<T> task) throws OverBudget, Busy, ExecutionException, InterruptedException {
        return await(submit(task));
    }

    /** Waits for {@code future} up to the budget; on overrun cancels it and throws {@link OverBudget}. */
    public <T> T await(Future<T> future) throws OverBudget, ExecutionException, InterruptedException {
        try {
            return future.get(budget.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | CancellationException e) {
            future.cancel(true);
            throw new OverBudget(budget);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    /** The pool's queue is full: the caller says "try again later" rather than computing itself. */
    public static final class Busy extends Exception {
        private static final long serialVersionUID = 1L;

        Busy() {
            super("the registry's analysis queue is full");
        }
    }

    /** A task took longer than the pool's budget. */
    public static final class OverBudget extends Exception {
        private static final long serialVersionUID = 1L;

        OverBudget(Duration budget) {
            super("analysis took longer than " + budget.toSeconds() + " s");
        }
    }
}
