package io.devswarm.core.store;

import java.util.List;
import java.util.Optional;

public interface PoolStore {
    Optional<Pool> find(String name);

    /** Inserts or replaces the pool by name. */
    void save(Pool pool);

    List<Pool> list();

    void delete(String name);
}
