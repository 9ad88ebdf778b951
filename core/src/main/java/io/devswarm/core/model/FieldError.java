package io.devswarm.core.model;

/** One rejected input value: the JSON path of the field and why it was rejected. */
public record FieldError(String field, String message) {}
