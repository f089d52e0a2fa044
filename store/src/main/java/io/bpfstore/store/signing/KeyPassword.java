package io.bpfstore.store.signing;

import java.io.Console;
import java.util.Map;
import java.util.Optional;

/**
 * Where the password of an encrypted private key comes from. Asked only when a key turns out to be encrypted,
 * so unencrypted keys never prompt.
 */
@FunctionalInterface
public interface KeyPassword {
    /** The environment variable holding the password of encrypted signing keys. */
    String ENV = "BPFSTORE_KEY_PASSWORD";

    /** The password for the key named {@code where}, or empty when there is none to give. */
    Optional<char[]> forKey(String where);

    /** No password: an encrypted key is refused, saying how to supply one. */
    static KeyPassword none() {
        return where -> Optional.empty();
    }

    /** A fixed password (tests, {@code --password-stdin}). */
    static KeyPassword of(char[] password) {
        char[] copy = password.clone();
        return where -> Optional.of(copy.clone());
    }

    /**
     * {@value #ENV} from {@code env} when set, else a prompt on {@code console} (null when not on a terminal,
     * then none).
     */
    static KeyPassword fromEnvironmentOrTerminal(Map<String, String> env, Console console) {
        return where -> {
            String fromEnv = env.get(ENV);
            if (fromEnv != null) {
                return Optional.of(fromEnv.toCharArray());
            }
            if (console == null) {
                return Optional.empty();
            }
            return Optional.ofNullable(console.readPassword("password for %s: ", where));
        };
    }
}
