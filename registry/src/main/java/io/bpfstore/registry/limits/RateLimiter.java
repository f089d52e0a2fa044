package io.bpfstore.registry.limits;

import io.bpfstore.registry.storage.RateCounters;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Counts failed logins (per client address and per account) and token requests (per client address) per clock
 * minute, and says how long a caller over its limit must wait (the {@code Retry-After} of a 429: the seconds to the
 * minute's end). A caller over the failed-login limit is refused before its credentials are checked, so guessing
 * stops paying off. Only requests that present a guessable secret (an API token, as Basic or Bearer) are checked
 * against it; a token this registry signed is settled by its signature, and a request without credentials is no
 * login at all, so neither costs the counters anything unless it goes to {@code /token} (or fails, and counts). The counts are {@link RateCounters}: the instance's own
 * in the embedded set-up, the database's in the scaled one, where a limit holds across all instances.
 */
public final class RateLimiter {
    private static final long WINDOW_MS = Duration.ofMinutes(1).toMillis();

    private final RegistryLimits limits;
    private final Clock clock;
    private final RateCounters counters;

    /**
     * @param limits   the limits per minute
     * @param clock    what minute it is
     * @param counters where the counts are kept
     */
    public RateLimiter(RegistryLimits limits, Clock clock, RateCounters counters) {
        this.limits = limits;
        this.clock = clock;
        this.counters = counters;
    }

    /**
     * How long the caller must wait, if it is over a limit; a {@code /token} request ({@code tokenRequest}) counts
     * against the token-request limit.
     *
     * @param address     the client's address
     * @param credentials whether the request presents credentials that are a login attempt (see
     *                    {@link io.bpfstore.registry.auth.Authenticator#isLoginAttempt})
     * @param account     the account its credentials name, if any
     */
    public Optional<Duration> check(String address, boolean credentials, Optional<String> account,
                                    boolean tokenRequest) {
        if (!credentials && !tokenRequest) {
            return Optional.empty();
        }
        long now = clock.millis();
        long window = now / WINDOW_MS;
        Duration rest = Duration.ofMillis((window + 1) * WINDOW_MS - now);
        if (credentials) {
            List<String> keys = loginKeys(address, account);
            if (counters.counts(keys, window).values().stream().anyMatch(n -> n > limits.failedLoginsPerMinute())) {
                return Optional.of(rest);
            }
        }
        if (tokenRequest && counters.add(List.of("token:" + address), window).get("token:" + address)
                > limits.tokenRequestsPerMinute()) {
            return Optional.of(rest);
        }
        return Optional.empty();
    }

    /** Records a failed login from {@code address} naming {@code account}. */
    public void failed(String address, Optional<String> account) {
        counters.add(loginKeys(address, account), clock.millis() / WINDOW_MS);
    }

    private static List<String> loginKeys(String address, Optional<String> account) {
        List<String> keys = new ArrayList<>(2);
        keys.add("login:" + address);
        account.ifPresent(a -> keys.add("account:" + a));
        return keys;
    }
}
