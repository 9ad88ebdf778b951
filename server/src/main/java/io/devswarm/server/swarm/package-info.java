/**
 * The swarm as a whole: its status, pool scaling, and the providers this server can place instances on.
 */
package io.devswarm.server.swarm;
