package org.uwskit.spi;

import org.uwskit.Caller;
import org.uwskit.Job;
import org.uwskit.JobList;

/**
 * Decides who may do what. The default ({@link #ownerOnly()}): a caller sees and changes only jobs whose ownerId is
 * its own; admins see all; anonymous callers may use a job list only if its policy allows anonymous use, and then
 * see only anonymous jobs. Thread-safe; must not block (no I/O per call) and must not throw: answer false to
 * refuse. {@code JobService} asks before every operation and turns a refusal into {@code AccessDeniedException}.
 */
public interface Authorizer {

    /**
     * Whether the caller may create jobs in (and list) this job list. Asked before any other check of a request.
     *
     * @param caller  who asks
     * @param jobList the job list
     * @return true to allow
     */
    boolean mayUse(Caller caller, JobList jobList);

    /**
     * Whether the caller may read and change this job. Asked after {@link #mayUse} was true.
     *
     * @param caller who asks
     * @param job    the job's current snapshot
     * @return true to allow
     */
    boolean mayAccess(Caller caller, Job job);

    /**
     * Whether the caller's job-list view includes every owner's jobs; if false, the list shows only the caller's own.
     *
     * @param caller  who asks
     * @param jobList the job list
     * @return true for an unrestricted view
     */
    boolean seesAllOwners(Caller caller, JobList jobList);

    /**
     * The default authorizer described above.
     *
     * @return the authorizer
     */
    static Authorizer ownerOnly() {
        return new Authorizer() {
            @Override
            public boolean mayUse(Caller caller, JobList jobList) {
                return caller.admin() || caller.ownerId() != null || jobList.policy().allowAnonymous();
            }

            @Override
            public boolean mayAccess(Caller caller, Job job) {
                return caller.admin() || java.util.Objects.equals(caller.ownerId(), job.ownerId());
            }

            @Override
            public boolean seesAllOwners(Caller caller, JobList jobList) {
                return caller.admin();
            }
        };
    }
}
