package org.uwskit.internal;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.uwskit.JobFilter;
import org.uwskit.JobRef;
import org.uwskit.spi.JobStore;

/**
 * Pages lazily through the store with a keyset cursor: a job list is streamed one store page at a time, never
 * loaded whole. Not API. Not thread-safe (one consumer).
 */
final class JobRefPages implements Iterator<JobRef> {
    private final JobStore store;
    private final JobFilter filter;
    private final int pageSize;
    private List<JobRef> page = List.of();
    private int pos;
    private JobStore.Cursor cursor;
    private boolean exhausted;

    JobRefPages(JobStore store, JobFilter filter, int maxPageSize) {
        this.store = store;
        this.filter = filter;
        this.pageSize = filter.last() == null ? maxPageSize : Math.min(maxPageSize, filter.last());
    }

    @Override
    public boolean hasNext() {
        if (pos < page.size()) {
            return true;
        }
        if (exhausted) {
            return false;
        }
        page = store.list(filter, cursor, pageSize);
        pos = 0;
        if (page.size() < pageSize) {
            exhausted = true;
        }
        if (!page.isEmpty()) {
            cursor = JobStore.Cursor.after(page.get(page.size() - 1));
        }
        return !page.isEmpty();
    }

    @Override
    public JobRef next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return page.get(pos++);
    }
}
