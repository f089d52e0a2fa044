package io.bpfstore.store.signing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.PBEParameterSpec;

/**
 * PKCS#8 {@code EncryptedPrivateKeyInfo} with PBES2 (RFC 8018), the JDK doing the cryptography. The JDK parses
 * PBES2 parameters but cannot build the structure from them, so {@link #encrypt} writes its DER itself.
 */
final class EncryptedPkcs8 {
    /** The PEM label of an encrypted PKCS#8 key. */
    static final String PEM_LABEL = "ENCRYPTED PRIVATE KEY";
    /** PBKDF2 iterations for keys we write (OWASP's 2023 figure for HMAC-SHA256). */
    static final int ITERATIONS = 600_000;
    /** Most PBKDF2 iterations accepted on read: a hostile file must not pin a CPU for minutes. */
    static final int MAX_ITERATIONS = 10_000_000;
    private static final String SCHEME = "PBEWithHmacSHA256AndAES_256";
    /** DER of OID 1.2.840.113549.1.5.13 (id-PBES2). */
    private static final byte[] PBES2_OID = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d,
            0x01, 0x05, 0x0d};

    private EncryptedPkcs8() {
    }

    /** The PKCS#8 {@code PrivateKeyInfo} inside {@code der}, decrypted with the password {@code source} gives. */
    static byte[] decrypt(byte[] der, String where, KeyPassword source) {
        EncryptedPrivateKeyInfo info;
        try {
            info = new EncryptedPrivateKeyInfo(der);
        } catch (IOException e) {
            throw new KeyException(where, "ENCRYPTED PRIVATE KEY block is not PKCS#8 EncryptedPrivateKeyInfo: "
                    + e.getMessage());
        } catch (RuntimeException e) {
            throw new KeyException(where, "ENCRYPTED PRIVATE KEY block does not parse: " + e);
        }
        String algorithm = info.getAlgName();
        if (!algorithm.startsWith("PBEWithHmacSHA") || info.getAlgParameters() == null) {
            throw new KeyException(where, "encryption scheme " + algorithm + " is not supported; re-encrypt with "
                    + "openssl pkcs8 -topk8 -v2 aes-256-cbc");
        }
        int iterations = iterations(info, where);
        if (iterations > MAX_ITERATIONS) {
            throw new KeyException(where, iterations + " PBKDF2 iterations, more than the " + MAX_ITERATIONS
                    + " accepted");
        }
        char[] password = source.forKey(where).orElseThrow(() -> new KeyException(where, "the key is encrypted "
                + "and no password was given (set " + KeyPassword.ENV + " or run on a terminal to be asked)"));
        try {
            SecretKey key = SecretKeyFactory.getInstance(algorithm).generateSecret(new PBEKeySpec(password));
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, key, info.getAlgParameters());
            return info.getKeySpec(cipher).getEncoded();
        } catch (NoSuchAlgorithmException e) {
            throw new KeyException(where, "encryption scheme " + algorithm + " is not supported by this JDK");
        } catch (java.security.spec.InvalidKeySpecException e) {
            // a wrong password decrypts to garbage that is not a PrivateKeyInfo (or fails the padding check)
            throw new KeyException(where, "wrong password (or a damaged key)");
        } catch (GeneralSecurityException e) {
            throw new KeyException(where, e.getCause() instanceof BadPaddingException
                    ? "wrong password (or a damaged key)" : "cannot decrypt: " + e.getMessage());
        } finally {
            Arrays.fill(password, '\0');
        }
    }

    private static int iterations(EncryptedPrivateKeyInfo info, String where) {
        try {
            return info.getAlgParameters().getParameterSpec(PBEParameterSpec.class).getIterationCount();
        } catch (GeneralSecurityException e) {
            throw new KeyException(where, "unreadable PBES2 parameters: " + e.getMessage());
        }
    }

    /** {@code pkcs8} encrypted under {@code password} as an {@code EncryptedPrivateKeyInfo} (DER). */
    static byte[] encrypt(byte[] pkcs8, char[] password) {
        try {
            SecureRandom random = new SecureRandom();
            byte[] salt = new byte[16];
            byte[] iv = new byte[16];
            random.nextBytes(salt);
            random.nextBytes(iv);
            SecretKey key = SecretKeyFactory.getInstance(SCHEME).generateSecret(new PBEKeySpec(password));
            Cipher cipher = Cipher.getInstance(SCHEME);
            cipher.init(Cipher.ENCRYPT_MODE, key, new PBEParameterSpec(salt, ITERATIONS, new IvParameterSpec(iv)));
            byte[] encrypted = cipher.doFinal(pkcs8);
            byte[] parameters = cipher.getParameters().getEncoded(); // PBES2-params
            byte[] algorithm = tlv(0x30, concat(PBES2_OID, parameters));
            return tlv(0x30, concat(algorithm, tlv(0x04, encrypted)));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("the JDK always has " + SCHEME, e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A DER tag-length-value; lengths here stay far below 64 KiB. */
    private static byte[] tlv(int tag, byte[] value) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(value.length + 4);
        out.write(tag);
        int n = value.length;
        if (n < 0x80) {
            out.write(n);
        } else if (n < 0x100) {
            out.write(0x81);
            out.write(n);
        } else {
            out.write(0x82);
            out.write(n >> 8);
            out.write(n & 0xff);
        }
        out.writeBytes(value);
        return out.toByteArray();
    }
}
