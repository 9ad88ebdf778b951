package io.devswarm.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.devswarm.core.access.Owners;
import io.devswarm.core.access.ApiKey;
import io.devswarm.core.access.PublicKeys;
import io.devswarm.core.access.Role;
import io.devswarm.core.access.SshKey;
import io.devswarm.core.access.User;
import io.devswarm.core.audit.AuditEvent;
import io.devswarm.core.audit.AuditQuery;
import io.devswarm.core.model.AlreadyExistsException;
import io.devswarm.core.model.Instance;
import io.devswarm.core.model.InstanceSpec;
import io.devswarm.core.model.InstanceStatus;
import io.devswarm.core.model.InvalidStateException;
import io.devswarm.core.model.DesiredState;
import io.devswarm.core.model.NetworkInfo;
import io.devswarm.core.operation.Execution;
import io.devswarm.core.secrets.Keyring;
import io.devswarm.core.secrets.SecretScope;
import io.devswarm.core.secrets.SecretService;
import io.devswarm.core.store.Store;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Users, API keys, revoked tokens, sealed secrets and the audit log, on each database. */
abstract class AccessStoreSpec {
    @TempDir
    Path tmp;

    private Database database;
    private Store store;
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    abstract DatabaseSettings database(Path tmp);

    @BeforeEach
    void open() {
        database = Database.open(database(tmp));
        store = database.store();
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    @DisplayName("users keep their roles and hash; a taken name is a conflict; deleting a user removes their keys")
    void users() {
        store.users().insert(new User("us-ana", "ana", "{argon2}hash", Set.of(Role.DEVELOPER, Role.AUDITOR), now));
        assertThatThrownBy(() -> store.users().insert(new User("us-ana", "ana", "x", Set.of(Role.VIEWER), now))).isInstanceOf(AlreadyExistsException.class)
                .hasMessageContaining("ana");
        assertThat(store.users().find("ana").orElseThrow().roles()).containsExactlyInAnyOrder(Role.DEVELOPER, Role.AUDITOR);
        assertThat(store.users().update(new User("us-ana", "ana", "{argon2}new", Set.of(Role.ADMIN), now))).isTrue();
        assertThat(store.users().find("ana").orElseThrow()).extracting(User::passwordHash, User::roles).containsExactly("{argon2}new", Set.of(Role.ADMIN));

        store.users().insertApiKey(new ApiKey("ak-1", "ana", "ci", "ab".repeat(32), "dsk_abcd", now));
        var parsed = PublicKeys.parse("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ana");
        store.sshKeys().insert(new SshKey("k-1", "ana", "laptop", parsed.canonical(), PublicKeys.fingerprint(parsed), now));
        assertThatThrownBy(() -> store.sshKeys().insert(new SshKey("k-2", "bob", "desk", parsed.canonical(), PublicKeys.fingerprint(parsed), now)))
                .isInstanceOf(AlreadyExistsException.class).hasMessageContaining("is already registered");
        assertThat(store.users().findApiKeyByHash("ab".repeat(32))).map(ApiKey::username).contains("ana");
        assertThat(store.users().deleteApiKey("someone-else", "ak-1")).isFalse();

        assertThat(store.users().delete("ana")).isTrue();
        assertThat(store.users().find("ana")).isEmpty();
        assertThat(store.users().findApiKeyByHash("ab".repeat(32))).isEmpty();
        assertThat(store.sshKeys().list("ana")).isEmpty();
    }

    @Test
    @DisplayName("user secrets reach the instances of the user who set them, by id: not those of a deleted user whose name another now has")
    void userSecretsFollowTheOwnerId() {
        SecretService secrets = new SecretService(store.secrets(), Keyring.of(List.of(Keyring.newKey())), null, Clock.systemUTC());
        store.users().insert(new User("us-first", "sam", null, Set.of(Role.DEVELOPER), now));
        Instance ofFirst = new Instance("i-1", "i-1", "mem", InstanceStatus.RUNNING, null, DesiredState.RUNNING, now, now, now, InstanceSpec.of("i-1", "img"),
                NetworkInfo.NONE, "sam", "us-first", null, null, 0);
        secrets.put(SecretScope.USER, "sam", "TOKEN", "first-sams", "sam");
        assertThat(secrets.envFor(ofFirst)).containsEntry("TOKEN", "first-sams");

        store.users().delete("sam");
        store.secrets().deleteScope(SecretScope.USER, "sam");
        store.users().insert(new User("us-second", "sam", null, Set.of(Role.DEVELOPER), now));
        secrets.put(SecretScope.USER, "sam", "TOKEN", "second-sams", "sam");
        assertThat(secrets.envFor(ofFirst)).doesNotContainKey("TOKEN");
        assertThat(secrets.envFor(new Instance("i-2", "i-2", "mem", InstanceStatus.RUNNING, null, DesiredState.RUNNING, now, now, now,
                InstanceSpec.of("i-2", "img"), NetworkInfo.NONE, "sam", "us-second", null, null, 0))).containsEntry("TOKEN", "second-sams");
    }

    @Test
    @DisplayName("the owner-by-id migration keeps every row: accounts get ids, instances and pools their owner's id, history counts as with secrets")
    void ownerByIdMigration() throws Exception {
        database.close();
        DatabaseSettings settings = database(tmp.resolve("from-v3"));
        Database.migrations(settings.isPostgres()).dataSource(settings.url(), settings.user(), settings.password()).target("3").load().migrate();
        String spec = new Json().write(InstanceSpec.of("x", "img"));
        try (Connection c = DriverManager.getConnection(settings.url(), settings.user(), settings.password()); Statement s = c.createStatement()) {
            s.execute("INSERT INTO users (username, password_hash, roles, created_at) VALUES ('olga', 'h', 'developer', CURRENT_TIMESTAMP)");
            for (String[] i : new String[][] {{"i-a", "'olga'"}, {"i-b", "'keys-only'"}, {"i-c", "NULL"}}) {
                s.execute("INSERT INTO instances (id, name, provider, status, desired_state, owner, spec, created_at, updated_at, version) VALUES ('"
                        + i[0] + "', '" + i[0] + "', 'mem', 'RUNNING', 'RUNNING', " + i[1] + ", '" + spec + "', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 0)");
            }
            s.execute("INSERT INTO pools (name, provider, replicas, template, owner, created_at, updated_at) VALUES ('p', 'mem', 1, '" + spec
                    + "', 'olga', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
            s.execute("INSERT INTO executions (id, instance_id, command, exit_code, stdout, timed_out, truncated, started_at, completed_at, duration_ms) "
                    + "VALUES ('ex-1', 'i-a', '[\"env\"]', 0, 'out', FALSE, FALSE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)");
        }
        database = Database.open(settings);
        store = database.store();

        User olga = store.users().find("olga").orElseThrow();
        assertThat(olga.id()).isEqualTo("user:olga");
        assertThat(store.instances().findById("i-a").orElseThrow()).extracting(Instance::owner, Instance::ownerId).containsExactly("olga", "user:olga");
        assertThat(store.instances().findById("i-b").orElseThrow()).extracting(Instance::owner, Instance::ownerId)
                .containsExactly("keys-only", Owners.named("keys-only"));
        assertThat(store.instances().findById("i-c").orElseThrow()).extracting(Instance::owner, Instance::ownerId).containsExactly(null, null);
        assertThat(store.pools().find("p").orElseThrow().ownerId()).isEqualTo("user:olga");
        assertThat(store.executions().find("ex-1").orElseThrow()).extracting(Execution::stdout, Execution::withSecrets).containsExactly("out", true);
        assertThatThrownBy(() -> store.users().insert(new User("user:olga", "another", null, Set.of(Role.VIEWER), now))).isInstanceOf(AlreadyExistsException.class);
    }

    @Test
    @DisplayName("a revoked token stays revoked until it would have expired anyway")
    void revokedTokens() {
        store.users().revokeToken("jti-1", now.plusSeconds(60));
        store.users().revokeToken("jti-1", now.plusSeconds(60)); // twice is fine
        store.users().revokeToken("jti-2", now.minusSeconds(1));
        assertThat(store.users().isTokenRevoked("jti-1")).isTrue();
        assertThat(store.users().isTokenRevoked("jti-3")).isFalse();
        assertThat(store.users().purgeRevokedTokens(now)).isEqualTo(1);
        assertThat(store.users().isTokenRevoked("jti-1")).isTrue();
    }

    @Test
    @DisplayName("a token's user is read with whether the token was signed out, in one read; no user, no answer")
    void tokenUser() {
        store.users().insert(new User("us-tina", "tina", null, Set.of(Role.DEVELOPER), now));
        store.users().revokeToken("jti-out", now.plusSeconds(60));
        assertThat(store.users().findTokenUser("tina", "jti-in")).hasValueSatisfying(t -> {
            assertThat(t.user().roles()).containsExactly(Role.DEVELOPER);
            assertThat(t.signedOut()).isFalse();
        });
        assertThat(store.users().findTokenUser("tina", "jti-out").orElseThrow().signedOut()).isTrue();
        assertThat(store.users().findTokenUser("tina", null).orElseThrow().signedOut()).isFalse();
        assertThat(store.users().findTokenUser("nobody", "jti-out")).isEmpty();
    }

    @Test
    @DisplayName("secrets are sealed at rest, and an instance gets global < user < instance values")
    void secretsSealedAndLayered() {
        SecretService secrets = new SecretService(store.secrets(), Keyring.of(List.of(Keyring.newKey())), null, Clock.systemUTC());
        secrets.put(SecretScope.GLOBAL, "", "REGION", "global-region", "admin");
        secrets.put(SecretScope.GLOBAL, "", "API_TOKEN", "global-token", "admin");
        secrets.put(SecretScope.USER, "ana", "API_TOKEN", "ana-token", "ana");
        secrets.put(SecretScope.INSTANCE, "i-1", "DB_PASSWORD", "instance-password", "ana");
        secrets.put(SecretScope.INSTANCE, "i-2", "DB_PASSWORD", "other-instance", "ana");

        assertThat(secrets.envFor(instance("i-1", "ana")))
                .containsExactlyInAnyOrderEntriesOf(Map.of("REGION", "global-region", "API_TOKEN", "ana-token", "DB_PASSWORD", "instance-password"));
        assertThat(secrets.envFor(instance("i-3", "bob"))).containsExactlyInAnyOrderEntriesOf(Map.of("REGION", "global-region", "API_TOKEN", "global-token"));

        for (var s : store.secrets().list(SecretScope.INSTANCE, "i-1")) {
            assertThat(new String(s.ciphertext(), StandardCharsets.ISO_8859_1)).doesNotContain("instance-password");
        }
    }

    @Test
    @DisplayName("a ciphertext moved to another secret's row does not open: the address is authenticated")
    void tamperedCiphertextRefused() {
        SecretService secrets = new SecretService(store.secrets(), Keyring.of(List.of(Keyring.newKey())), null, Clock.systemUTC());
        var a = secrets.put(SecretScope.USER, "ana", "A", "value-a", "ana");
        var b = secrets.put(SecretScope.USER, "ana", "B", "value-b", "ana");
        store.secrets().reseal(b.id(), b.keyId(), b.keyId(), a.ciphertext());
        assertThatThrownBy(() -> secrets.reveal(SecretScope.USER, "ana", "B")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("user/ana/B").hasMessageNotContaining("value-a");
    }

    @Test
    @DisplayName("rotating the master key re-encrypts every secret and drops the old key from the 0600 keyring file")
    void rotation() throws Exception {
        Path file = tmp.resolve("secrets.keyring");
        SecretService secrets = new SecretService(store.secrets(), Keyring.loadOrCreate(file), file, Clock.systemUTC());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        secrets.put(SecretScope.GLOBAL, "", "ONE", "1111", "admin");
        secrets.put(SecretScope.USER, "ana", "TWO", "2222", "admin");
        String before = secrets.currentKeyId();

        var rotation = secrets.rotate();

        assertThat(rotation.previousKeyId()).isEqualTo(before);
        assertThat(rotation.resealed()).isEqualTo(2);
        assertThat(store.secrets().listNotSealedWith(rotation.keyId())).isEmpty();
        Keyring onDisk = Keyring.loadOrCreate(file);
        assertThat(onDisk.keys()).extracting(Keyring.Key::id).containsExactly(rotation.keyId());
        SecretService restarted = new SecretService(store.secrets(), onDisk, file, Clock.systemUTC());
        assertThat(restarted.reveal(SecretScope.USER, "ana", "TWO")).contains("2222");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    @DisplayName("a new master key from the environment, with the old one beside it, re-encrypts at start")
    void resealWithNewConfiguredKey() {
        Keyring.Key old = Keyring.newKey();
        SecretService first = new SecretService(store.secrets(), Keyring.of(List.of(old)), null, Clock.systemUTC());
        first.put(SecretScope.GLOBAL, "", "ONE", "1111", "admin");
        assertThatThrownBy(first::rotate).isInstanceOf(InvalidStateException.class).hasMessageContaining("DEVSWARM_SECRETS_KEY");

        Keyring.Key next = Keyring.newKey();
        SecretService second = new SecretService(store.secrets(), Keyring.of(List.of(old, next)), null, Clock.systemUTC());
        assertThat(second.reseal()).isEqualTo(1);
        SecretService onlyNew = new SecretService(store.secrets(), Keyring.of(List.of(next)), null, Clock.systemUTC());
        assertThat(onlyNew.reveal(SecretScope.GLOBAL, "", "ONE")).contains("1111");
    }

    @Test
    @DisplayName("the audit log lists newest first and filters by actor, action prefix, target and time")
    void audit() {
        store.audit().append(new AuditEvent("au-1", now.minusSeconds(30), "ana", "POST /api/v1/instances", "web", "202", "10.0.0.1"));
        store.audit().append(new AuditEvent("au-2", now.minusSeconds(20), "bob", "ssh.login", "web", "denied: unknown key", "10.0.0.2"));
        store.audit().append(new AuditEvent("au-3", now.minusSeconds(10), "ana", "auth.login", null, "success", "10.0.0.1"));

        assertThat(store.audit().list(new AuditQuery(null, null, null, null, 0, 10)).items()).extracting(AuditEvent::id).containsExactly("au-3", "au-2", "au-1");
        assertThat(store.audit().list(new AuditQuery("ana", null, null, null, 0, 10)).total()).isEqualTo(2);
        assertThat(store.audit().list(new AuditQuery(null, "ssh.", "web", null, 0, 10)).items()).extracting(AuditEvent::id).containsExactly("au-2");
        assertThat(store.audit().list(new AuditQuery(null, null, null, now.minusSeconds(15), 0, 10)).items()).extracting(AuditEvent::id).containsExactly("au-3");
    }

    @Test
    @DisplayName("an audit record of input that does not fit (over-long, with NUL) is kept as far as it fits, never lost")
    void auditOfBadInput() {
        String typed = "a\0b" + "x".repeat(400);
        store.audit().append(new AuditEvent("au-long", now, typed, "POST /api/v1/users/{user}/keys", typed, "422", "::ffff:" + "1".repeat(100)));
        AuditEvent kept = store.audit().list(new AuditQuery(null, null, null, null, 0, 10)).items().getFirst();
        assertThat(kept.id()).isEqualTo("au-long");
        assertThat(kept.actor()).hasSize(AuditEvent.MAX_TEXT).startsWith("a\uFFFDbxx").endsWith("x…");
        assertThat(kept.target()).isEqualTo(kept.actor());
        assertThat(kept.source()).hasSize(AuditEvent.MAX_SOURCE);
    }

    private Instance instance(String id, String owner) {
        return new Instance(id, id, "mem", InstanceStatus.RUNNING, null, DesiredState.RUNNING, now, now, now, InstanceSpec.of(id, "img"), NetworkInfo.NONE,
                owner, Owners.named(owner), null, null, 0);
    }
}
