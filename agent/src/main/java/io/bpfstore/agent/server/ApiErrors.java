package io.bpfstore.agent.server;

import io.bpfstore.agent.api.ApiException;
import io.bpfstore.kernel.BpfException;
import io.bpfstore.store.client.RegistryException;
import java.io.UncheckedIOException;

/** The API's answer to an exception an operation threw: a status and one line. */
final class ApiErrors {
    private ApiErrors() {
    }

    /**
     * 422 for bpfstore's typed refusals (install, policy, signature, image, loader, kernel), 502 when the registry
     * failed, 500 for anything else (logged with its stack trace by the caller).
     */
    static ApiException of(RuntimeException e) {
        return switch (e) {
            case ApiException a -> a;
            case BpfException b -> new ApiException(422, b.summary(), b);
            case RegistryException r -> new ApiException(502, r.getMessage(), r);
            case UncheckedIOException io -> new ApiException(422, io.getMessage(), io);
            case io.bpfstore.kernel.loader.LoadException l -> new ApiException(422, firstLine(l.getMessage()), l);
            default -> e.getClass().getPackageName().startsWith("io.bpfstore.")
                    ? new ApiException(422, oneLine(String.valueOf(e.getMessage())), e)
                    : new ApiException(500, "internal error (" + e.getClass().getSimpleName() + "): " + e.getMessage(), e);
        };
    }

    /** {@code message} on one line (a policy decision's findings joined with "; "). */
    static String oneLine(String message) {
        return message == null ? "" : message.strip().replaceAll("\\s*\\n\\s*", "; ");
    }

    /** The first line of {@code message} (a loader's verdict without the verifier log after it). */
    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
