package io.devswarm.core.secrets;

/** Where a secret applies; a narrower scope wins over a wider one for the same name. */
public enum SecretScope {
    /** every instance */
    GLOBAL,
    /** every instance of one owner */
    USER,
    /** one instance */
    INSTANCE
}
