package io.devswarm.core.secrets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Named 256-bit keys, the newest current: the master keys that seal secrets and the keys that sign
 * tokens. Older keys stay readable so what they sealed or signed can still be opened while a
 * rotation goes on. On disk: one "id base64" line per key, file mode 0600.
 */
public final class Keyring {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** One key; {@code material} is 32 bytes. */
    public record Key(String id, byte[] material) {
        @Override
        public String toString() {
            return "Key[" + id + "]"; // never the material
        }
    }

    private final List<Key> keys;

    private Keyring(List<Key> keys) {
        if (keys.isEmpty()) throw new IllegalArgumentException("a keyring needs a key");
        this.keys = List.copyOf(keys);
    }

    public static Keyring of(List<Key> keys) {
        return new Keyring(keys);
    }

    public static Key newKey() {
        byte[] material = new byte[32];
        RANDOM.nextBytes(material);
        byte[] id = new byte[4];
        RANDOM.nextBytes(id);
        return new Key(HexFormat.of().formatHex(id), material);
    }

    /** The key for a base64 value given in configuration; its id is derived, so every server names it alike. */
    public static Key fromBase64(String base64) {
        byte[] material = Base64.getDecoder().decode(base64.strip());
        if (material.length != 32) throw new IllegalArgumentException("a key must be 32 bytes (base64 of 32 random bytes), got " + material.length);
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(material);
            return new Key(HexFormat.of().formatHex(digest, 0, 4), material);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads the keyring at {@code file}, making it with one fresh key (mode 0600) when it does not exist. */
    public static Keyring loadOrCreate(Path file) {
        try {
            if (Files.notExists(file)) {
                Keyring fresh = new Keyring(List.of(newKey()));
                fresh.write(file);
                return fresh;
            }
            List<Key> keys = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                String l = line.strip();
                if (l.isEmpty() || l.startsWith("#")) continue;
                String[] parts = l.split("\\s+");
                if (parts.length != 2) throw new IllegalStateException(file + ": each line must be '<id> <base64 key>'");
                keys.add(new Key(parts[0], Base64.getDecoder().decode(parts[1])));
            }
            return new Keyring(keys);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read keyring " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes atomically with mode 0600: no moment where another user could read the keys. */
    public void write(Path file) {
        StringBuilder sb = new StringBuilder("# devswarm keyring: '<id> <base64>' per line, the last one current. Keep it secret.\n");
        for (Key k : keys) sb.append(k.id()).append(' ').append(Base64.getEncoder().encodeToString(k.material())).append('\n');
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".keyring", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, sb, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write keyring " + file + ": " + e.getMessage(), e);
        }
    }

    public Key current() {
        return keys.getLast();
    }

    public Optional<Key> find(String id) {
        return keys.stream().filter(k -> k.id().equals(id)).findFirst();
    }

    public List<Key> keys() {
        return keys;
    }

    /** This keyring with a fresh key made current. */
    public Keyring rotated() {
        List<Key> next = new ArrayList<>(keys);
        next.add(newKey());
        return new Keyring(next);
    }

    /** Only the current key and the {@code keep} newest before it. */
    public Keyring trimmed(int keep) {
        return new Keyring(keys.subList(Math.max(0, keys.size() - 1 - keep), keys.size()));
    }
}
