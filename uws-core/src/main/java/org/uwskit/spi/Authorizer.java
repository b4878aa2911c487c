package org.uwskit.spi;

import org.uwskit.Caller;
import org.uwskit.Job;
import org.uwskit.JobList;

/**
 * Decides who may do what. The default ({@link #ownerOnly()}): a caller sees and changes only jobs whose ownerId is
 * its own; admins see all; anonymous callers may use a job list only if its policy allows anonymous use, and then
 * see only anonymous jobs. Thread-safe; must not block.
 */
public interface Authorizer {

    /** Whether the caller may create jobs in (and list) this job list. */
    boolean mayUse(Caller caller, JobList jobList);

    /** Whether the caller may read and change this job. */
    boolean mayAccess(Caller caller, Job job);

    /** Whether the caller's job-list view includes every owner's jobs. */
    boolean seesAllOwners(Caller caller, JobList jobList);

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
