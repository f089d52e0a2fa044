package io.bpfstore.store.signing;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.security.interfaces.ECPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;

/**
 * An ECDSA P-256 public key a verifier trusts, read from SubjectPublicKeyInfo PEM ({@code -----BEGIN PUBLIC
 * KEY-----}, as cosign and openssl write it).
 *
 * @param key the public point
 */
public record TrustedKey(ECPublicKey key) {
    /** The PEM label of a SubjectPublicKeyInfo key. */
    public static final String PEM_LABEL = "PUBLIC KEY";

    /** Checks the curve. */
    public TrustedKey {
        if (!P256.isP256(key)) {
            throw new KeyException("public key", "not an ECDSA P-256 (prime256v1) key");
        }
    }

    /** Reads a PEM public key file. */
    public static TrustedKey read(Path file) {
        return parse(KeyFiles.readText(file), file.toString());
    }

    /** Parses SubjectPublicKeyInfo PEM text; {@code where} names its source in errors. */
    public static TrustedKey parse(String text, String where) {
        Pem pem = Pem.parse(text, where);
        if (!pem.label().equals(PEM_LABEL)) {
            throw new KeyException(where, "\"" + pem.label() + "\" block is not a public key (want \"" + PEM_LABEL
                    + "\")");
        }
        PublicKey key;
        try {
            key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(pem.der()));
        } catch (InvalidKeySpecException e) {
            throw new KeyException(where, "not an EC SubjectPublicKeyInfo: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always has EC", e);
        }
        if (!(key instanceof ECPublicKey ec) || !P256.isP256(ec)) {
            throw new KeyException(where, "not an ECDSA P-256 (prime256v1) key");
        }
        return new TrustedKey(ec);
    }

    /** Whether {@code der} is a valid ASN.1 DER ECDSA signature by this key over SHA-256 of {@code payload}. */
    public boolean verifies(byte[] payload, byte[] der) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initVerify(key);
            s.update(payload);
            return s.verify(der);
        } catch (SignatureException e) {
            return false; // not DER, or values out of range: cannot be a signature by this key
        } catch (InvalidKeyException e) {
            throw new KeyException("public key", e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always has SHA256withECDSA", e);
        }
    }

    /** {@code sha256:} hex of the SubjectPublicKeyInfo DER: names the key in messages and signer hints. */
    public String fingerprint() {
        return "sha256:" + HexFormat.of().formatHex(io.bpfstore.store.image.Digest.sha256().digest(key.getEncoded()));
    }

    /** The key as SubjectPublicKeyInfo PEM. */
    public String pem() {
        return new Pem(PEM_LABEL, key.getEncoded()).text();
    }
}
