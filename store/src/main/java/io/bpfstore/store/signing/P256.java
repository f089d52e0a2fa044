package io.bpfstore.store.signing;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.interfaces.ECKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;

/**
 * The NIST P-256 curve (secp256r1, prime256v1), the only curve cosign's default keys use, and the one
 * computation the JDK does not offer: deriving a public point from a private scalar (PKCS#8 files need not
 * carry the public key, and the JDK's EC private key does not expose it).
 */
final class P256 {
    /** The curve's parameters as the JDK names them. */
    static final ECParameterSpec SPEC = spec();

    private P256() {
    }

    private static ECParameterSpec spec() {
        try {
            AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
            p.init(new ECGenParameterSpec("secp256r1"));
            return p.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK always has secp256r1", e);
        }
    }

    /** Whether {@code key} is on P-256 (same field, coefficients, generator and order). */
    static boolean isP256(ECKey key) {
        ECParameterSpec p = key.getParams();
        return p != null && p.getCurve().equals(SPEC.getCurve()) && p.getGenerator().equals(SPEC.getGenerator())
                && p.getOrder().equals(SPEC.getOrder());
    }

    /** {@code k·G}, by double-and-add in affine coordinates (not constant time: used on local keys only). */
    static ECPoint multiplyGenerator(BigInteger k) {
        BigInteger p = ((ECFieldFp) SPEC.getCurve().getField()).getP();
        BigInteger a = SPEC.getCurve().getA();
        ECPoint result = ECPoint.POINT_INFINITY;
        ECPoint addend = SPEC.getGenerator();
        for (int i = 0; i < k.bitLength(); i++) {
            if (k.testBit(i)) {
                result = add(result, addend, p, a);
            }
            addend = add(addend, addend, p, a);
        }
        return result;
    }

    private static ECPoint add(ECPoint s, ECPoint t, BigInteger p, BigInteger a) {
        if (s.equals(ECPoint.POINT_INFINITY)) {
            return t;
        }
        if (t.equals(ECPoint.POINT_INFINITY)) {
            return s;
        }
        BigInteger x1 = s.getAffineX();
        BigInteger y1 = s.getAffineY();
        BigInteger x2 = t.getAffineX();
        BigInteger y2 = t.getAffineY();
        BigInteger lambda;
        if (x1.equals(x2)) {
            if (!y1.equals(y2) || y1.signum() == 0) {
                return ECPoint.POINT_INFINITY;
            }
            lambda = x1.pow(2).multiply(BigInteger.valueOf(3)).add(a)
                    .multiply(y1.shiftLeft(1).modInverse(p)).mod(p);
        } else {
            lambda = y2.subtract(y1).multiply(x2.subtract(x1).modInverse(p)).mod(p);
        }
        BigInteger x3 = lambda.pow(2).subtract(x1).subtract(x2).mod(p);
        BigInteger y3 = lambda.multiply(x1.subtract(x3)).subtract(y1).mod(p);
        return new ECPoint(x3, y3);
    }
}
