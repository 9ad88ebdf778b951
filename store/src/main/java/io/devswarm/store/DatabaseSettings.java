package io.devswarm.store;

import java.nio.file.Path;

/**
 * Where the store lives. The embedded default is an H2 file under {@code $DEVSWARM_HOME/db};
 * a {@code jdbc:postgresql:} URL switches to PostgreSQL for several servers sharing one database.
 */
public record DatabaseSettings(String url, String user, String password, int maxPoolSize) {
    public DatabaseSettings {
        if (url == null || url.isBlank()) throw new IllegalArgumentException("url is blank");
        maxPoolSize = maxPoolSize <= 0 ? 16 : maxPoolSize;
    }

    public static DatabaseSettings embedded(Path home) {
        String file = home.resolve("db").resolve("devswarm").toAbsolutePath().toString();
        return new DatabaseSettings("jdbc:h2:file:" + file + ";DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=256", "sa", "", 16);
    }

    public boolean isPostgres() {
        return url.startsWith("jdbc:postgresql:");
    }

    /** The URL with any password-bearing query removed, for logs. */
    public String redactedUrl() {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q) + "?…";
    }
}
