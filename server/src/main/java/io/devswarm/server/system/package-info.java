/**
 * What every feature stands on: wiring of the framework-free core and the SSH gateway, configuration,
 * health, how requests are read and validated, and errors as problem+json in one place.
 */
package io.devswarm.server.system;
