package io.bpfstore.store.signing;

import java.util.List;

/** What a pull demands of signatures: a valid signature by one of some keys, or nothing (explicitly). */
public sealed interface SignaturePolicy {
    /**
     * A signature by one of {@code keys} must verify.
     *
     * @param keys the trusted keys, at least one
     */
    record Require(List<TrustedKey> keys) implements SignaturePolicy {
        /** Copies the keys; an empty list would refuse everything, so it is rejected here with the fix. */
        public Require {
            keys = List.copyOf(keys);
            if (keys.isEmpty()) {
                throw new KeyException("trusted keys", "none: pass --key PUB.pem, put public keys in the "
                        + "trusted-keys directory beside the config file, or pass --allow-unsigned");
            }
        }
    }

    /** The user chose to accept unsigned (or unverifiable) packages. */
    record AllowUnsigned() implements SignaturePolicy {
    }
}
