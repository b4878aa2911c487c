package org.uwskit.examples.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

/**
 * The paths of jobs the fuzzer aims at ({@code /uws/demo/<id>}): the jobs made before the run, plus jobs the run
 * itself creates (the newest {@value #CAPACITY} kept), so that deleted jobs are replaced. Thread-safe.
 */
final class JobPool {
    static final int CAPACITY = 300;
    private static final Pattern JOB_PATH = Pattern.compile("/(uws|tap)/[a-z]+/[a-z2-7]{26}");

    private final List<String> fixed;
    private final List<String> made = new ArrayList<>();
    private int next;

    JobPool(List<String> fixed) {
        this.fixed = List.copyOf(fixed);
    }

    /** A job path: one of the jobs made before the run two times in three, else one the run created. */
    synchronized String draw(Random r) {
        if (made.isEmpty() || r.nextInt(3) < 2) {
            return fixed.get(r.nextInt(fixed.size()));
        }
        return made.get(r.nextInt(made.size()));
    }

    /** Keeps the job a 303 answer pointed at, if the location is a job of this server. */
    synchronized void offer(String location, String origin) {
        if (location == null || !location.startsWith(origin)) {
            return;
        }
        String path = location.substring(origin.length());
        if (!JOB_PATH.matcher(path).matches()) {
            return;
        }
        if (made.size() < CAPACITY) {
            made.add(path);
        } else {
            made.set(next, path);
            next = (next + 1) % CAPACITY;
        }
    }
}
