package io.bpfstore.store.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Optional;

/**
 * An ECDSA P-256 private key with its public half, read from or written as PKCS#8 PEM: unencrypted
 * ({@code -----BEGIN PRIVATE KEY-----}, what {@code openssl pkcs8 -topk8 -nocrypt} writes and
 * {@code cosign import-key-pair} reads) or password-encrypted with PBES2 ({@code -----BEGIN ENCRYPTED PRIVATE
 * KEY-----}, what {@code openssl pkcs8 -topk8 -v2 aes-256-cbc} writes: PBKDF2 with HMAC-SHA256 or -SHA1, AES-CBC).
 * cosign's own {@code ENCRYPTED SIGSTORE PRIVATE KEY} format (scrypt + secretbox) is not supported.
 *
 * <pre>{@code
 * SigningKey key = SigningKey.read(Path.of("signing.key"));
 * byte[] der = key.sign(payload);                  // ASN.1 DER ECDSA signature over SHA-256(payload)
 * }</pre>
 *
 * @param privateKey the private scalar
 * @param publicKey  the matching public point
 */
public record SigningKey(ECPrivateKey privateKey, ECPublicKey publicKey) {
    /** The PEM label of an unencrypted PKCS#8 key. */
    public static final String PEM_LABEL = "PRIVATE KEY";
    /** File name {@link #writePair} gives the private key. */
    public static final String PRIVATE_FILE = "signing.key";
    /** File name {@link #writePair} gives the public key. */
    public static final String PUBLIC_FILE = "signing.pub";

    /** Checks both halves are P-256 and belong together (a mismatched pair would sign unverifiably). */
    public SigningKey {
        if (!P256.isP256(privateKey) || !P256.isP256(publicKey)) {
            throw new KeyException("key", "not an ECDSA P-256 (prime256v1) key");
        }
        if (!P256.multiplyGenerator(privateKey.getS()).equals(publicKey.getW())) {
            throw new KeyException("key", "the public key does not belong to the private key");
        }
    }

    /** A fresh key pair from the JDK's default secure random source. */
    public static SigningKey generate() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(P256.SPEC);
            KeyPair pair = g.generateKeyPair();
            return new SigningKey((ECPrivateKey) pair.getPrivate(), (ECPublicKey) pair.getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always has EC P-256", e);
        }
    }

    /** Reads an unencrypted PKCS#8 PEM private key file (an encrypted one is refused: no password). */
    public static SigningKey read(Path file) {
        return read(file, KeyPassword.none());
    }

    /** Reads a PKCS#8 PEM private key file, asking {@code password} only if the key is encrypted. */
    public static SigningKey read(Path file, KeyPassword password) {
        return parse(KeyFiles.readText(file), file.toString(), password);
    }

    /** Parses unencrypted PKCS#8 PEM text; {@code where} names its source in errors. */
    public static SigningKey parse(String text, String where) {
        return parse(text, where, KeyPassword.none());
    }

    /** Parses PKCS#8 PEM text, decrypting with {@code password} when it is encrypted. */
    public static SigningKey parse(String text, String where, KeyPassword password) {
        Pem pem = Pem.parse(text, where);
        byte[] pkcs8;
        switch (pem.label()) {
            case PEM_LABEL -> pkcs8 = pem.der();
            case EncryptedPkcs8.PEM_LABEL -> pkcs8 = EncryptedPkcs8.decrypt(pem.der(), where, password);
            case "ENCRYPTED COSIGN PRIVATE KEY", "ENCRYPTED SIGSTORE PRIVATE KEY" ->
                    throw new KeyException(where, pem.label() + ": cosign's own encrypted format (scrypt + "
                            + "secretbox) is not supported; use a PKCS#8 key (openssl pkcs8 -topk8 -v2 aes-256-cbc)");
            case "EC PRIVATE KEY" -> throw new KeyException(where, "SEC1 \"EC PRIVATE KEY\" block: convert it to "
                    + "PKCS#8 with openssl pkcs8 -topk8 -nocrypt");
            case TrustedKey.PEM_LABEL -> throw new KeyException(where, "this is a public key; signing needs the "
                    + "private key");
            default -> throw new KeyException(where, "\"" + pem.label() + "\" block is not a PKCS#8 private key");
        }
        PrivateKey key;
        try {
            key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (InvalidKeySpecException e) {
            throw new KeyException(where, "not a PKCS#8 EC private key: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always has EC", e);
        }
        if (!(key instanceof ECPrivateKey ec) || !P256.isP256(ec)) {
            throw new KeyException(where, "not an ECDSA P-256 (prime256v1) key");
        }
        if (ec.getS().signum() <= 0 || ec.getS().compareTo(P256.SPEC.getOrder()) >= 0) {
            throw new KeyException(where, "private scalar out of range");
        }
        ECPoint w = P256.multiplyGenerator(ec.getS());
        try {
            ECPublicKey pub = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(
                    new ECPublicKeySpec(w, P256.SPEC));
            return new SigningKey(ec, pub);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("derived public point rejected", e);
        }
    }

    /** The ASN.1 DER ECDSA signature over SHA-256 of {@code payload}, as cosign stores it (base64'd). */
    public byte[] sign(byte[] payload) {
        try {
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(privateKey);
            s.update(payload);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always has SHA256withECDSA", e);
        }
    }

    /** The public half as a key verifiers can trust. */
    public TrustedKey trusted() {
        return new TrustedKey(publicKey);
    }

    /** The private key as unencrypted PKCS#8 PEM. */
    public String pem() {
        return new Pem(PEM_LABEL, privateKey.getEncoded()).text();
    }

    /**
     * The private key as PKCS#8 PEM encrypted under {@code password} (PBES2: PBKDF2-HMAC-SHA256, AES-256-CBC), as
     * {@code openssl pkcs8 -topk8 -v2 aes-256-cbc} writes it.
     */
    public String pem(char[] password) {
        return new Pem(EncryptedPkcs8.PEM_LABEL, EncryptedPkcs8.encrypt(privateKey.getEncoded(), password)).text();
    }

    /**
     * Writes {@link #PRIVATE_FILE} (mode 0600) and {@link #PUBLIC_FILE} into {@code dir}, creating it. Refuses
     * to overwrite either; on failure neither file is left behind.
     */
    public void writePair(Path dir) throws IOException {
        writePair(dir, Optional.empty());
    }

    /** As {@link #writePair(Path)}, the private key encrypted under {@code password} when given. */
    public void writePair(Path dir, Optional<char[]> password) throws IOException {
        Files.createDirectories(dir);
        Path priv = dir.resolve(PRIVATE_FILE);
        Path pub = dir.resolve(PUBLIC_FILE);
        for (Path p : new Path[] {priv, pub}) {
            if (Files.exists(p)) {
                throw new FileAlreadyExistsException(p.toString(), null, "refusing to overwrite a key");
            }
        }
        Path tempPriv = Files.createTempFile(dir, ".signing", ".key.tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Path tempPub = null;
        try {
            Files.writeString(tempPriv, password.map(this::pem).orElseGet(this::pem), StandardCharsets.US_ASCII);
            tempPub = Files.createTempFile(dir, ".signing", ".pub.tmp");
            Files.writeString(tempPub, trusted().pem(), StandardCharsets.US_ASCII);
            Files.move(tempPriv, priv, StandardCopyOption.ATOMIC_MOVE);
            try {
                Files.move(tempPub, pub, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                Files.deleteIfExists(priv);
                throw e;
            }
        } finally {
            Files.deleteIfExists(tempPriv);
            if (tempPub != null) {
                Files.deleteIfExists(tempPub);
            }
        }
    }
}
