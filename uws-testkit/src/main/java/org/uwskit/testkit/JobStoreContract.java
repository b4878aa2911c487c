package org.uwskit.testkit;

/**
 * The contract every {@link org.uwskit.spi.JobStore} meets. Extend it in your store's tests and implement
 * {@link #createStore()}; each test gets a new store (or one emptied of earlier jobs: the tests use their own
 * job-list names, so a shared database is fine) and closes it afterwards.
 *
 * <p>Covers insert/get and duplicate insert, compare-and-set update and {@link org.uwskit.StaleVersionException},
 * delete, list order with keyset paging and every filter (phase union, ARCHIVED hidden unless asked, after, owner),
 * count, an owner's usage (stored and active jobs, upload bytes), destruction and timeout due lists, claiming QUEUED
 * jobs (also from two threads at once, never the same job twice), expired leases, and timestamps round-tripping at
 * millisecond precision in UTC.
 *
 * <p>The tests stand in groups, one file each: {@code JobStoreRecordContract} (single records),
 * {@code JobStoreListingContract} (lists, filters, counts, owner usage) and {@code JobStoreWorkContract} (due
 * lists, claims, leases), over {@code JobStoreFixture} (the store under test and the helpers below). They extend
 * one another only so that this one class runs them all: extend this class, as before.
 */
public abstract class JobStoreContract extends JobStoreWorkContract {

    /** For subclasses. */
    protected JobStoreContract() {
    }
}
