/**
 * The audit log: every mutating call recorded as it is answered, and the endpoint admins and auditors
 * read it through.
 */
package io.devswarm.server.audit;
