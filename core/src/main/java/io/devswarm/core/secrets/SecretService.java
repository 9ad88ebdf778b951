package io.devswarm.core.secrets;

import io.devswarm.core.controller.Ids;
import io.devswarm.core.model.InvalidStateException;
import io.devswarm.core.model.Instance;
import io.devswarm.core.model.InvalidSpecException;
import io.devswarm.core.store.SecretStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Secrets in clear exist only here: sealed on the way into the store, opened on the way into an
 * instance's environment or to a caller allowed to reveal them. Global secrets apply to every
 * instance, user secrets to the owner's instances, instance secrets to one; the narrower wins.
 */
public final class SecretService implements SecretEnv {
    private static final Logger log = LoggerFactory.getLogger(SecretService.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,127}");
    private static final int MAX_VALUE_BYTES = 64 * 1024;

    private final SecretStore store;
    private final Path keyringFile;
    private final Clock clock;
    private volatile Keyring keyring;

    /**
     * @param keyringFile where the keyring lives, so {@link #rotate()} can write a new one; null when
     *                    the master key comes from the environment and is rotated there
     */
    public SecretService(SecretStore store, Keyring keyring, Path keyringFile, Clock clock) {
        this.store = store;
        this.keyring = keyring;
        this.keyringFile = keyringFile;
        this.clock = clock;
    }

    public static void validateName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidSpecException("name", "must be an environment variable name: a letter or '_', then letters, digits or '_' (at most 128)");
        }
    }

    public Secret put(SecretScope scope, String scopeId, String name, String value, String actor) {
        validateName(name);
        if (value == null) throw new InvalidSpecException("value", "is required");
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) throw new InvalidSpecException("value", "must be at most 64 KiB");
        Keyring.Key key = keyring.current();
        var now = clock.instant();
        Secret existing = store.find(scope, scopeId, name).orElse(null);
        Secret secret = new Secret(existing == null ? Ids.next("sec") : existing.id(), scope, scopeId, name, key.id(),
                SecretCipher.seal(key, address(scope, scopeId, name), value), existing == null ? now : existing.createdAt(), now, actor);
        store.put(secret);
        return secret;
    }

    public List<Secret> list(SecretScope scope, String scopeId) {
        return store.list(scope, scopeId);
    }

    public Optional<Secret> find(SecretScope scope, String scopeId, String name) {
        return store.find(scope, scopeId, name);
    }

    public Optional<String> reveal(SecretScope scope, String scopeId, String name) {
        return find(scope, scopeId, name).map(this::reveal);
    }

    /** The value of a secret read with {@link #find}. */
    public String reveal(Secret secret) {
        return open(secret);
    }

    public boolean delete(SecretScope scope, String scopeId, String name) {
        return store.delete(scope, scopeId, name);
    }

    @Override
    public Map<String, String> envFor(Instance instance) {
        List<Secret> all = store.listForInstance(instance.ownerId(), instance.id());
        Map<String, String> env = new LinkedHashMap<>();
        for (SecretScope scope : SecretScope.values()) { // GLOBAL, USER, INSTANCE: the narrower wins
            for (Secret s : all) if (s.scope() == scope) env.put(s.name(), open(s));
        }
        return env;
    }

    /** Re-encrypts every secret not sealed with the current key; returns how many. */
    public int reseal() {
        Keyring.Key current = keyring.current();
        int count = 0;
        for (Secret s : store.listNotSealedWith(current.id())) {
            String value = open(s);
            if (store.reseal(s.id(), s.keyId(), current.id(), SecretCipher.seal(current, address(s.scope(), s.scopeId(), s.name()), value))) count++;
        }
        if (count > 0) log.info("re-encrypted {} secrets with master key {}", count, current.id());
        return count;
    }

    /**
     * Makes a fresh master key current, re-encrypts every secret with it, then drops the old keys
     * from the keyring file. Only for a keyring kept in a file.
     */
    public synchronized Rotation rotate() {
        if (keyringFile == null) {
            throw new InvalidStateException("the master key comes from DEVSWARM_SECRETS_KEY: put a new key there, the old one in "
                    + "DEVSWARM_SECRETS_OLD_KEYS, and restart; secrets are re-encrypted at start");
        }
        String previous = keyring.current().id();
        Keyring next = keyring.rotated();
        next.write(keyringFile); // old keys still in the file: a crash before reseal loses nothing
        keyring = next;
        int resealed = reseal();
        Keyring trimmed = next.trimmed(0);
        trimmed.write(keyringFile);
        keyring = trimmed;
        return new Rotation(previous, trimmed.current().id(), resealed);
    }

    /** What a rotation did. */
    public record Rotation(String previousKeyId, String keyId, int resealed) {}

    public String currentKeyId() {
        return keyring.current().id();
    }

    private String open(Secret s) {
        Keyring.Key key = keyring.find(s.keyId()).orElseThrow(() -> new IllegalStateException(
                "secret " + address(s.scope(), s.scopeId(), s.name()) + " is sealed with master key " + s.keyId() + ", which this server does not have"));
        return SecretCipher.open(key, address(s.scope(), s.scopeId(), s.name()), s.ciphertext());
    }

    private static String address(SecretScope scope, String scopeId, String name) {
        return scope.name().toLowerCase() + "/" + scopeId + "/" + name;
    }
}
