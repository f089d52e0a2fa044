package io.bpfstore.registry.limits;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts failed logins (per client address and per account) and token requests (per client address) in one-minute
 * windows, and says how long a caller over its limit must wait (the {@code Retry-After} of a 429). A caller over the
 * failed-login limit is refused before its credentials are checked, so guessing stops paying off.
 */
public final class RateLimiter {
    private static final long WINDOW_MS = Duration.ofMinutes(1).toMillis();
    /** Keys tracked before ended windows are swept (an address flood must not grow the heap without bound). */
    private static final int MAX_KEYS = 100_000;

    private final RegistryLimits limits;
    private final Clock clock;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    /** One key's count in the window that started at {@code start} (epoch ms). */
    private record Window(long start, int count) {
    }

    public RateLimiter(RegistryLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    /**
     * How long the caller must wait, if it is over a limit; a {@code /token} request ({@code tokenRequest}) counts
     * against the token-request limit.
     *
     * @param address the client's address
     * @param account the account its credentials name, if any
     */
    public Optional<Duration> check(String address, Optional<String> account, boolean tokenRequest) {
        long now = clock.millis();
        Optional<Duration> wait = over("login:" + address, limits.failedLoginsPerMinute(), now)
                .or(() -> account.flatMap(a -> over("account:" + a, limits.failedLoginsPerMinute(), now)));
        if (wait.isPresent() || !tokenRequest) {
            return wait;
        }
        return over(bump("token:" + address, now), limits.tokenRequestsPerMinute(), now);
    }

    /** Records a failed login from {@code address} naming {@code account}. */
    public void failed(String address, Optional<String> account) {
        long now = clock.millis();
        bump("login:" + address, now);
        account.ifPresent(a -> bump("account:" + a, now));
    }

    private String bump(String key, long now) {
        if (windows.size() > MAX_KEYS) {
            windows.values().removeIf(w -> now - w.start() >= WINDOW_MS);
        }
        windows.merge(key, new Window(now, 1), (old, one) -> now - old.start() >= WINDOW_MS
                ? one : new Window(old.start(), old.count() + 1));
        return key;
    }

    private Optional<Duration> over(String key, int limit, long now) {
        Window w = windows.get(key);
        if (w == null || now - w.start() >= WINDOW_MS || w.count() <= limit) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(w.start() + WINDOW_MS - now));
    }
}
