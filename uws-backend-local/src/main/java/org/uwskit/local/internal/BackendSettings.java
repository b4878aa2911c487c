package org.uwskit.local.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The resolved configuration of one LocalBackend, shared by its executions. Internal: not part of the API.
 *
 * @param name         the backend name
 * @param clock        where instants come from
 * @param workRoot     the directory holding the per-job work directories
 * @param killGrace    how long a process tree has between SIGTERM and SIGKILL
 * @param keepWorkDirs whether work directories survive their job (for debugging)
 */
public record BackendSettings(String name, Clock clock, Path workRoot, Duration killGrace, boolean keepWorkDirs) {
}
