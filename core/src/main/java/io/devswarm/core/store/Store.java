package io.devswarm.core.store;

/** The repositories devswarm keeps its state in; one implementation per database family. */
public record Store(InstanceStore instances, OperationStore operations, ExecutionStore executions, PoolStore pools, SshKeyStore sshKeys,
                    UserStore users, SecretStore secrets, AuditLog audit) {}
