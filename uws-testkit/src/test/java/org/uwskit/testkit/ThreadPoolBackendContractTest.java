package org.uwskit.testkit;

import org.uwskit.spi.ExecutionBackend;

/**
 * A custom backend proves itself by extending {@link ExecutionBackendContract}: provide a fresh backend and the
 * job types that succeed, fail and run long. This is all a user writes for their own cluster's backend.
 */
class ThreadPoolBackendContractTest extends ExecutionBackendContract {
    @Override
    protected ExecutionBackend createBackend() {
        return new ThreadPoolBackend();
    }

    @Override
    protected String succeedingJobType() {
        return "ok";
    }

    @Override
    protected String failingJobType() {
        return "fail";
    }

    @Override
    protected String longRunningJobType() {
        return "sleep";
    }
}
