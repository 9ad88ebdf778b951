package io.devswarm.core.model;

/** What the user last asked an instance to be; the controller drives the observed status toward it. */
public enum DesiredState {
    RUNNING, STOPPED, DELETED
}
