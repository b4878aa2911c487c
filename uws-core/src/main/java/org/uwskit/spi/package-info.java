/**
 * The service provider interfaces: narrow interfaces with no engine types in them, through which uwskit is extended.
 *
 * <p><b>Storage.</b> {@link org.uwskit.spi.JobStore} keeps jobs (compare-and-set on the version, skip-locked claims);
 * a store may also offer {@link org.uwskit.spi.JobChangeFeed} to report changes across nodes.
 * {@link org.uwskit.spi.ResultStore} keeps the bytes of results and uploads. Implementations: uws-core's
 * {@code org.uwskit.memory}, uws-store-jdbc's {@code JdbcJobStore}.
 *
 * <p><b>Execution.</b> {@link org.uwskit.spi.ExecutionBackend} runs jobs described by a
 * {@link org.uwskit.spi.JobTemplate} and reports through {@link org.uwskit.spi.ExecutionEvents}; optional
 * capabilities are separate interfaces the backend class also implements: {@link org.uwskit.spi.Reattachable},
 * {@link org.uwskit.spi.Holdable}, {@link org.uwskit.spi.Suspendable}. Implementation: uws-backend-local's
 * {@code LocalBackend}.
 *
 * <p><b>Policy and hooks.</b> {@link org.uwskit.spi.OwnerResolver} (host authentication to a caller),
 * {@link org.uwskit.spi.Authorizer} (who may do what), {@link org.uwskit.spi.QuoteEstimator} (the UWS quote),
 * {@link org.uwskit.spi.JobListener} (changes on this node). <b>Documents.</b> {@link org.uwskit.spi.JobSerializer}
 * (XML, JSON) with {@link org.uwskit.spi.JobLinks}, and {@link org.uwskit.spi.JobDocumentProvider} for extra
 * documents such as provenance.
 *
 * <p><b>Rules for every implementation:</b> thread-safe, since uwskit calls from many threads at once; no changes
 * through {@code JobService} or {@code Engine} from inside a call; failures as the exceptions each method names (a
 * store that cannot reach its database throws {@link org.uwskit.StoreUnavailableException}). A custom store or
 * backend proves itself by extending uws-testkit's {@code JobStoreContract} or {@code ExecutionBackendContract}.
 */
package org.uwskit.spi;
