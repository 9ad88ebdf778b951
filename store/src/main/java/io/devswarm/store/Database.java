package io.devswarm.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.devswarm.core.store.Store;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.configuration.FluentConfiguration;

/**
 * The connection pool and schema of one devswarm database. Opening it migrates the schema,
 * so a fresh H2 file or an empty PostgreSQL database is ready to use.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final DatabaseSettings settings;
    private final Store store;
    private final Jdbc jdbc;

    private Database(HikariDataSource dataSource, DatabaseSettings settings) {
        this.dataSource = dataSource;
        this.settings = settings;
        this.jdbc = new Jdbc(dataSource);
        Json json = new Json();
        this.store = new Store(new JdbcInstanceStore(jdbc, json), new JdbcOperationStore(jdbc, json), new JdbcExecutionStore(jdbc, json),
                new JdbcPoolStore(jdbc, json), new JdbcSshKeyStore(jdbc), new JdbcUserStore(jdbc), new JdbcSecretStore(jdbc), new JdbcAuditLog(jdbc));
    }

    public static Database open(DatabaseSettings settings) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(settings.maxPoolSize());
        config.setPoolName("devswarm");
        HikariDataSource ds = new HikariDataSource(config);
        try {
            migrations(settings.isPostgres()).dataSource(ds).load().migrate();
            return new Database(ds, settings);
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
    }

    /** devswarm's migrations, with the column types of H2 or PostgreSQL. */
    static FluentConfiguration migrations(boolean pg) {
        return Flyway.configure()
                .locations("classpath:db/migration")
                .placeholders(Map.of("json", pg ? "TEXT" : "VARCHAR(1000000)", "text", pg ? "TEXT" : "CLOB", "bytes", pg ? "BYTEA" : "BLOB"));
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public DatabaseSettings settings() {
        return settings;
    }

    public Store store() {
        return store;
    }

    /**
     * The id of this installation, made on first use and shared by every server on the
     * database: providers label resources with it, so two installations on one Docker engine
     * never take each other's containers for orphans.
     */
    public String installationId() {
        var existing = jdbc.query("SELECT setting_value FROM settings WHERE setting_name = 'installation-id'", rs -> rs.getString(1));
        if (!existing.isEmpty()) return existing.getFirst();
        try {
            jdbc.update("INSERT INTO settings (setting_name, setting_value) VALUES ('installation-id', ?)", io.devswarm.core.controller.Ids.next("inst"));
        } catch (io.devswarm.core.model.AlreadyExistsException raced) {
            // another server made it first
        }
        return jdbc.query("SELECT setting_value FROM settings WHERE setting_name = 'installation-id'", rs -> rs.getString(1)).getFirst();
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
