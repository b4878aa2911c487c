/**
 * Implementation details of the local backend (job state, in-JVM and process executions, process-tree kill).
 * Not API: do not use from outside uws-backend-local.
 */
package org.uwskit.local.internal;
