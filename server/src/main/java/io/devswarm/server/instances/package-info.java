/**
 * Instances through the API: create, read, update, delete, start, stop, recreate, exec and its history,
 * volume snapshots, and the view of an instance each caller may see.
 */
package io.devswarm.server.instances;
