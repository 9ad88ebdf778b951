package io.devswarm.core.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM with a fresh 96-bit nonce per value. The secret's address (scope, scope id, name) is
 * the associated data, so a ciphertext copied onto another row does not open.
 */
final class SecretCipher {
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretCipher() {}

    static byte[] seal(Keyring.Key key, String address, String value) {
        try {
            byte[] nonce = new byte[NONCE];
            RANDOM.nextBytes(nonce);
            Cipher c = cipher(Cipher.ENCRYPT_MODE, key, nonce, address);
            byte[] sealed = c.doFinal(value.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(NONCE + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM unavailable: " + e.getMessage(), e);
        }
    }

    static String open(Keyring.Key key, String address, byte[] ciphertext) {
        try {
            byte[] nonce = java.util.Arrays.copyOf(ciphertext, NONCE);
            Cipher c = cipher(Cipher.DECRYPT_MODE, key, nonce, address);
            return new String(c.doFinal(ciphertext, NONCE, ciphertext.length - NONCE), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            // names the secret, never the value or key
            throw new IllegalStateException("secret " + address + " does not open with key " + key.id() + " (wrong key or tampered)");
        }
    }

    private static Cipher cipher(int mode, Keyring.Key key, byte[] nonce, String address) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(mode, new SecretKeySpec(key.material(), "AES"), new GCMParameterSpec(TAG_BITS, nonce));
        c.updateAAD(address.getBytes(StandardCharsets.UTF_8));
        return c;
    }
}
