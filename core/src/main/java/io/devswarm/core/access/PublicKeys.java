package io.devswarm.core.access;

import io.devswarm.core.model.InvalidSpecException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Set;

/** Reads OpenSSH public key lines and computes their SHA256 fingerprints, as {@code ssh-keygen -lf} does. */
public final class PublicKeys {
    private static final Set<String> TYPES = Set.of("ssh-ed25519", "ssh-rsa", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
            "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com");

    private PublicKeys() {}

    /** A parsed key line: its type, base64 blob and optional comment. */
    public record Parsed(String type, String base64, String comment) {
        public String canonical() {
            return type + " " + base64;
        }
    }

    /** Parses "type base64 [comment]"; errors name the field {@code publicKey}. */
    public static Parsed parse(String line) {
        if (line == null || line.isBlank()) throw new InvalidSpecException("publicKey", "is required");
        // the stored key's room; an RSA key of 16384 bits takes under 3,000
        if (line.length() > SshKey.MAX_PUBLIC_KEY) throw new InvalidSpecException("publicKey", "must be at most " + SshKey.MAX_PUBLIC_KEY + " characters");
        String[] parts = line.trim().split("\\s+", 3);
        if (parts.length < 2 || !TYPES.contains(parts[0])) {
            throw new InvalidSpecException("publicKey", "must be an OpenSSH public key line such as 'ssh-ed25519 AAAA... you@host' (types: " + String.join(", ", TYPES.stream().sorted().toList()) + ")");
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(parts[1]);
        } catch (IllegalArgumentException e) {
            throw new InvalidSpecException("publicKey", "the key data is not valid base64");
        }
        if (!parts[0].equals(blobType(blob))) throw new InvalidSpecException("publicKey", "the key data does not match its type '" + parts[0] + "'");
        return new Parsed(parts[0], parts[1], parts.length > 2 ? parts[2] : null);
    }

    /** "SHA256:" + unpadded base64 of the SHA-256 of the key blob. */
    public static String fingerprint(Parsed key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(key.base64()));
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String blobType(byte[] blob) {
        if (blob.length < 4) return null;
        int len = ByteBuffer.wrap(blob, 0, 4).getInt();
        if (len <= 0 || len > blob.length - 4) return null;
        return new String(blob, 4, len, StandardCharsets.US_ASCII);
    }
}
