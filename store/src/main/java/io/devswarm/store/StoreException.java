package io.devswarm.store;

import io.devswarm.core.model.AlreadyExistsException;
import java.sql.SQLException;

/** A database failure that is not the caller's fault (connection lost, disk full). */
public final class StoreException extends RuntimeException {
    private StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** Unique-key violations become conflicts (SQLState class 23); anything else is a store failure. */
    static RuntimeException from(SQLException e) {
        String state = e.getSQLState();
        if (state != null && state.startsWith("23")) {
            return new AlreadyExistsException("conflicts with an existing record");
        }
        return new StoreException("database error: " + e.getMessage(), e);
    }
}
