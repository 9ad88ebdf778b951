package io.devswarm.core.controller;

import io.devswarm.core.model.Instance;
import io.devswarm.core.operation.Operation;

/** A request taken on: the instance as it stands now and the operation that will carry it out. */
public record Accepted(Instance instance, Operation operation) {}
