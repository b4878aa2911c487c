/**
 * The uwskit API: the IVOA Universal Worker Service (UWS 1.1) as Java calls.
 *
 * <p><b>Where to start.</b> Describe what clients may run with {@link org.uwskit.JobDefinition} (a job type and its
 * {@link org.uwskit.ParameterDefinition parameters}) grouped in a {@link org.uwskit.JobList} with its
 * {@link org.uwskit.JobListPolicy limits}. Build the client role, {@link org.uwskit.JobService}, with
 * {@link org.uwskit.JobService#builder()}: it creates, reads, lists, runs, aborts and destroys jobs for a
 * {@link org.uwskit.Caller} and is what the servlet adapter calls. Build the worker role, {@link org.uwskit.Engine},
 * with {@link org.uwskit.Engine#builder(JobService)} on every node that executes jobs: it claims QUEUED jobs and runs
 * them on {@link org.uwskit.spi.ExecutionBackend}s. Both share a {@link org.uwskit.spi.JobStore}.
 *
 * <p><b>Model.</b> Values are immutable records: {@link org.uwskit.Job} (a snapshot at one version),
 * {@link org.uwskit.JobRef}, {@link org.uwskit.Parameter}, {@link org.uwskit.Result},
 * {@link org.uwskit.ErrorSummary}, {@link org.uwskit.PhaseChange}, {@link org.uwskit.Lease},
 * {@link org.uwskit.Caller}, {@link org.uwskit.JobFilter}, {@link org.uwskit.JobRequest}. The execution phases are
 * {@link org.uwskit.Phase}; which phase may follow which is decided only by {@link org.uwskit.PhaseMachine}.
 *
 * <p><b>Exceptions.</b> Everything the API refuses is a {@link org.uwskit.UwsException} subtype with a message for
 * the client, one per HTTP status: {@link org.uwskit.InvalidRequestException} (400),
 * {@link org.uwskit.AccessDeniedException} (403, or 401 when anonymous), {@link org.uwskit.InvalidStateException},
 * {@link org.uwskit.IllegalPhaseTransitionException} and {@link org.uwskit.JobRejectedException} (403),
 * {@link org.uwskit.JobNotFoundException} (404), {@link org.uwskit.PayloadTooLargeException} (413),
 * {@link org.uwskit.StoreUnavailableException} (503). {@link org.uwskit.StaleVersionException} is the stores' lost
 * compare-and-set race, resolved inside uwskit.
 *
 * <p><b>Threading.</b> Records and the immutable classes ({@code JobDefinition}, {@code JobList},
 * {@code TypedParameters}) are thread-safe; builders are not. {@code JobService} and {@code Engine} are thread-safe
 * and own their threads. Time always comes from the service's injected {@link java.time.Clock}.
 *
 * <p>Related packages: {@link org.uwskit.spi} (the plug-in interfaces), {@link org.uwskit.memory} (in-memory and
 * file-system implementations), {@link org.uwskit.xml} and {@link org.uwskit.json} (the documents).
 * {@code org.uwskit.internal} holds the implementations and is not API.
 */
package org.uwskit;
