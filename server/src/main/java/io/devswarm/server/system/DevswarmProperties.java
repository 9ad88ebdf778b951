package io.devswarm.server.system;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Everything devswarm reads from configuration ({@code devswarm.*}; environment variables such as
 * {@code DEVSWARM_DATABASE_URL} work too). With nothing set, it runs on an H2 file under
 * {@code ~/.devswarm} and the local Docker engine.
 *
 * @param home              state directory ($DEVSWARM_HOME)
 * @param database          JDBC URL, user, password; empty URL = embedded H2 under home
 * @param defaultProvider   placement's choice when a request names none
 * @param worker            this server's name among several; default host name + pid
 * @param providers         per-provider settings, e.g. devswarm.providers.docker.host
 * @param disabledProviders providers not to load even if they could run
 * @param reconcileInterval time between reconciler passes
 * @param orphanGrace       how old an unrecorded labelled resource must be before removal
 */
@ConfigurationProperties("devswarm")
public record DevswarmProperties(
        Path home,
        Database database,
        String defaultProvider,
        String worker,
        Map<String, Map<String, String>> providers,
        List<String> disabledProviders,
        Duration reconcileInterval,
        Duration orphanGrace,
        Duration stuckTimeout,
        Idle idle,
        Ssh ssh,
        Auth auth,
        Secrets secrets) {

    public record Database(String url, String user, String password, int maxPoolSize) {}

    /**
     * Scale to zero.
     *
     * @param enabled        run the idle check at all
     * @param checkInterval  time between idle checks
     * @param flushInterval  how often each server writes observed activity to the store
     * @param cpuBusyPercent CPU use (percent of one core) that keeps an instance awake
     */
    public record Idle(Boolean enabled, Duration checkInterval, Duration flushInterval, Double cpuBusyPercent) {
        public Idle {
            enabled = enabled == null || enabled;
            checkInterval = checkInterval == null ? Duration.ofSeconds(30) : checkInterval;
            flushInterval = flushInterval == null ? Duration.ofSeconds(15) : flushInterval;
            cpuBusyPercent = cpuBusyPercent == null ? 10.0 : cpuBusyPercent;
        }
    }

    /**
     * The SSH gateway.
     *
     * @param enabled      listen at all
     * @param address      interface: loopback by default, as the API (DEVSWARM_SSH_ADDRESS=0.0.0.0 for all)
     * @param port         10022 by default
     * @param instanceUser user sessions run as inside instances
     */
    public record Ssh(Boolean enabled, String address, Integer port, String instanceUser) {
        public Ssh {
            enabled = enabled == null || enabled;
            address = address == null || address.isBlank() ? "127.0.0.1" : address;
            port = port == null ? 10022 : port;
            instanceUser = instanceUser == null || instanceUser.isBlank() ? "developer" : instanceUser;
        }
    }

    /**
     * API authentication.
     *
     * @param tokenTtl           lifetime of tokens from login
     * @param instanceTokenTtl   longest lifetime of an instance token (callers may ask for less)
     * @param loginAttempts      failed logins allowed per source address and per username in {@code loginWindow}
     * @param loginWindow        the window those failures are counted in
     * @param oidc               an external issuer whose tokens are accepted too; off unless issuerUri is set
     */
    public record Auth(Duration tokenTtl, Duration instanceTokenTtl, Integer loginAttempts, Duration loginWindow, Oidc oidc) {
        public Auth {
            tokenTtl = tokenTtl == null ? Duration.ofHours(8) : tokenTtl;
            instanceTokenTtl = instanceTokenTtl == null ? Duration.ofHours(1) : instanceTokenTtl;
            loginAttempts = loginAttempts == null ? 5 : loginAttempts;
            loginWindow = loginWindow == null ? Duration.ofMinutes(1) : loginWindow;
            oidc = oidc == null ? new Oidc(null, null, null, null, null) : oidc;
        }
    }

    /**
     * An external OpenID Connect issuer (Keycloak, Dex, Okta, GitLab...).
     *
     * @param issuerUri     the issuer; its discovery document names the keys
     * @param audience      when set, tokens must name it in "aud"
     * @param usernameClaim the claim that is the devswarm username (default preferred_username, then sub)
     * @param rolesClaim    the claim holding groups or roles (a list or a space-separated string)
     * @param roleMapping   claim value → devswarm role id; a value that is itself a role id maps to that role
     */
    public record Oidc(String issuerUri, String audience, String usernameClaim, String rolesClaim, Map<String, String> roleMapping) {
        public Oidc {
            usernameClaim = usernameClaim == null || usernameClaim.isBlank() ? "preferred_username" : usernameClaim;
            rolesClaim = rolesClaim == null || rolesClaim.isBlank() ? "groups" : rolesClaim;
            roleMapping = roleMapping == null ? Map.of() : roleMapping;
        }

        public boolean enabled() {
            return issuerUri != null && !issuerUri.isBlank();
        }
    }

    /**
     * The master key that seals secrets: from configuration (DEVSWARM_SECRETS_KEY, base64 of 32
     * bytes) or else a keyring file under home made on first start.
     *
     * @param key     the current master key
     * @param oldKeys earlier keys, comma-separated, kept until secrets are re-encrypted at start
     */
    public record Secrets(String key, String oldKeys) {}

    public DevswarmProperties {
        home = home != null ? home : Path.of(System.getenv().getOrDefault("DEVSWARM_HOME", System.getProperty("user.home") + "/.devswarm"));
        database = database != null ? database : new Database(null, null, null, 0);
        defaultProvider = defaultProvider == null || defaultProvider.isBlank() ? "docker" : defaultProvider;
        providers = providers == null ? Map.of() : providers;
        disabledProviders = disabledProviders == null ? List.of() : disabledProviders;
        reconcileInterval = reconcileInterval == null ? Duration.ofSeconds(15) : reconcileInterval;
        orphanGrace = orphanGrace == null ? Duration.ofMinutes(2) : orphanGrace;
        stuckTimeout = stuckTimeout == null ? Duration.ofMinutes(15) : stuckTimeout;
        idle = idle == null ? new Idle(null, null, null, null) : idle;
        ssh = ssh == null ? new Ssh(null, null, null, null) : ssh;
        auth = auth == null ? new Auth(null, null, null, null, null) : auth;
        secrets = secrets == null ? new Secrets(null, null) : secrets;
    }
}
