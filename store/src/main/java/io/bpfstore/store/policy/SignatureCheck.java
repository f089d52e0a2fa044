package io.bpfstore.store.policy;

import io.bpfstore.store.image.Digest;
import io.bpfstore.store.client.RegistryClient;
import io.bpfstore.store.signing.TrustedKey;
import io.bpfstore.store.signing.VerificationException;
import io.bpfstore.store.signing.Verifier;
import java.util.List;

/** What checking a package's signature found: the input a {@link HostPolicy} judges. */
public sealed interface SignatureCheck {
    /**
     * A signature verified.
     *
     * @param fingerprint the fingerprint of the key whose signature verified
     */
    record Verified(String fingerprint) implements SignatureCheck {
    }

    /**
     * Verification refused (tampered, wrong digest or repository, malformed, or signed by an untrusted key).
     *
     * @param reason why
     * @param detail what was found
     */
    record Refused(VerificationException.Reason reason, String detail) implements SignatureCheck {
        /** Whether the refusal shows tampering rather than merely an unknown signer or no signature. */
        public boolean tampered() {
            return switch (reason) {
                case BAD_SIGNATURE, WRONG_DIGEST, WRONG_REPOSITORY, MALFORMED -> true;
                case UNTRUSTED_KEY, UNSIGNED -> false;
            };
        }
    }

    /**
     * The signature was not checked (a local layout has no registry signature, or the user passed
     * {@code --allow-unsigned}); the policy treats it as unsigned.
     *
     * @param why said in the decision
     */
    record NotChecked(String why) implements SignatureCheck {
    }

    /**
     * Verifies the signatures of {@code digest} in {@code repository} against {@code keys}, as
     * {@link Verifier#verify} does, but as a value: no exception for a refusal. With no key at all the answer is
     * a refusal saying so (signed or not, nothing can verify).
     */
    static SignatureCheck of(RegistryClient client, String repository, Digest digest, List<TrustedKey> keys) {
        if (keys.isEmpty()) {
            return Verifier.isSigned(client, repository, digest)
                    ? new Refused(VerificationException.Reason.UNTRUSTED_KEY, "signed, but the policy trusts no key"
                            + " for this namespace")
                    : new Refused(VerificationException.Reason.UNSIGNED, "the registry has no signature for "
                            + repository + "@" + digest);
        }
        try {
            return new Verified(Verifier.verify(client, repository, digest, keys).key().fingerprint());
        } catch (VerificationException e) {
            return new Refused(e.reason(), e.getMessage());
        }
    }
}
