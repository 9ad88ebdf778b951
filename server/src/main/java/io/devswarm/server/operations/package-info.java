/**
 * Operations as the API shows them: the queue of changes to instances, and how every mutating route
 * answers with its operation, at once or after waiting for it to end.
 */
package io.devswarm.server.operations;
