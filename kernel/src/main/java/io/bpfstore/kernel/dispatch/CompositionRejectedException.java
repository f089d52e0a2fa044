package io.bpfstore.kernel.dispatch;

import io.bpfstore.kernel.loader.LoadException;
import java.util.Optional;

/**
 * The kernel or the linker refused a composed XDP program. {@link #member()} names the member responsible when the
 * refusal can be attributed to it (the instruction the verifier stopped at lies in its code, or its program could
 * not be linked); the cause is the loader's exception ({@code ProgramRejectedException} with the verifier log, or
 * {@code LoadException}).
 */
public final class CompositionRejectedException extends LoadException {
    private final transient Optional<String> member;

    CompositionRejectedException(String message, Optional<String> member, RuntimeException cause) {
        super(message, cause);
        this.member = member;
    }

    /** The member the refusal is attributed to, if it could be. */
    public Optional<String> member() {
        return member;
    }
}
