package org.uwskit.benchmarks;

import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.uwskit.JobRef;
import org.uwskit.Phase;
import org.uwskit.spi.JobLinks;

/** Deterministic test data shared by the benchmarks and their smoke tests. Stateless and thread-safe. */
final class Fixtures {
    /** The job list every benchmark uses. */
    static final String JOB_LIST = "bench";
    /** Job list URL (never contacted: only written into documents). */
    static final String JOB_LIST_URL = "http://127.0.0.1:8080/uws/" + JOB_LIST;
    static final JobLinks LINKS = JobLinks.under(JOB_LIST_URL);
    /** Creation time of job 0; job i was created i seconds later. */
    static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");
    /** The same text as uwskit's Instants.format, for baselines that must not use uwskit. */
    static final DateTimeFormatter INSTANT_FORMAT =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private static final String[] OWNERS = new String[16];
    private static final char[] ALPHABET = "abcdefghijklmnopqrstuvwxyz234567".toCharArray();

    static {
        for (int i = 0; i < OWNERS.length; i++) {
            OWNERS[i] = "owner" + i;
        }
    }

    private Fixtures() {
    }

    /** A 26-character id shaped like uwskit's random job ids, unique per {@code i}. */
    static String jobId(long i) {
        long a = mix(i);
        long b = mix(~i);
        char[] out = new char[26];
        out[0] = ALPHABET[(int) Long.remainderUnsigned(a, 26)];
        for (int k = 1; k < 13; k++) {
            out[k] = ALPHABET[(int) ((a >>> (5 * k)) & 31)];
        }
        // the last 13 characters spell i itself, which makes the id unique
        long v = i;
        for (int k = 25; k >= 13; k--) {
            out[k] = ALPHABET[(int) (v & 31)];
            v >>>= 5;
        }
        out[12] = ALPHABET[(int) (b & 31)];
        return new String(out);
    }

    /**
     * The phase of job i in the job-list benchmarks: 1% EXECUTING, 4% ERROR, 1% ABORTED, 1% QUEUED, the rest
     * COMPLETED, spread evenly over time.
     */
    static Phase phase(long i) {
        int r = (int) (i % 100);
        if (r == 0) {
            return Phase.EXECUTING;
        }
        if (r <= 4) {
            return Phase.ERROR;
        }
        if (r == 5) {
            return Phase.ABORTED;
        }
        if (r == 6) {
            return Phase.QUEUED;
        }
        return Phase.COMPLETED;
    }

    static String owner(long i) {
        return OWNERS[(int) (i % OWNERS.length)];
    }

    /** A run id on every third job. */
    static String runId(long i) {
        return i % 3 == 0 ? "run-" + i : null;
    }

    static JobRef ref(long i) {
        return new JobRef(jobId(i), phase(i), runId(i), owner(i), BASE.plusSeconds(i));
    }

    /** A lazy iterator over refs 0..n-1: each ref is made when asked for and held by no one afterwards. */
    static Iterator<JobRef> lazyRefs(int n) {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < n;
            }

            @Override
            public JobRef next() {
                if (next >= n) {
                    throw new NoSuchElementException();
                }
                return ref(next++);
            }
        };
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
        z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return z ^ (z >>> 33);
    }

    /** Discards what is written and counts the bytes, so that benchmarks measure writing, not buffering. */
    static final class CountingOutputStream extends OutputStream {
        private long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }

        long count() {
            return count;
        }
    }
}
