package org.uwskit.slurm.internal;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The per-job tokens of completion callbacks: {@code hex(HMAC-SHA256(secret, "uws-slurm-callback|" + jobId))}. A
 * token names one job (useless for another), needs no storage (any front-end node with the same secret checks it),
 * and is compared in constant time. The secret never leaves this object. Immutable; thread-safe.
 */
public final class CallbackTokens {
    /** The bytes of a generated secret, and the fewest a configured one may have. */
    public static final int SECRET_BYTES = 32;
    private static final String ALGORITHM = "HmacSHA256";
    private static final String CONTEXT = "uws-slurm-callback|";

    private final SecretKeySpec key;

    /**
     * @param secret the service's secret, at least {@value #SECRET_BYTES} bytes (copied)
     * @throws IllegalArgumentException if it is shorter
     */
    public CallbackTokens(byte[] secret) {
        if (secret == null || secret.length < SECRET_BYTES) {
            throw new IllegalArgumentException("a callback secret must have at least " + SECRET_BYTES + " bytes");
        }
        key = new SecretKeySpec(secret.clone(), ALGORITHM);
    }

    /** @return tokens of a secret drawn from {@link SecureRandom} now (valid until this process ends) */
    public static CallbackTokens random() {
        byte[] b = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(b);
        return new CallbackTokens(b);
    }

    /** @param jobId a UWS job id @return its token, 64 lower-case hex digits */
    public String token(String jobId) {
        return HexFormat.of().formatHex(mac(jobId));
    }

    /**
     * Whether a presented token is the one of a job, compared in constant time (for tokens of the right length).
     *
     * @param jobId     the job the callback names
     * @param presented the token it presented, or null
     * @return whether it is that job's token
     */
    public boolean matches(String jobId, String presented) {
        if (presented == null || jobId == null) {
            return false;
        }
        byte[] expected = token(jobId).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, presented.strip().getBytes(StandardCharsets.US_ASCII));
    }

    private byte[] mac(String jobId) {
        try {
            Mac m = Mac.getInstance(ALGORITHM);
            m.init(key);
            return m.doFinal((CONTEXT + jobId).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e); // every Java 17 runtime has it
        }
    }

    @Override
    public String toString() {
        return "CallbackTokens[secret hidden]";
    }
}
