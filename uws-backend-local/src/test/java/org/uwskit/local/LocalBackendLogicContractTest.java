package org.uwskit.local;

import java.util.concurrent.CountDownLatch;
import org.uwskit.spi.ExecutionBackend;
import org.uwskit.testkit.ExecutionBackendContract;

/** The testkit's backend contract, for in-JVM job logic. */
class LocalBackendLogicContractTest extends ExecutionBackendContract {

    @Override
    protected ExecutionBackend createBackend() {
        return LocalBackend.builder().name("contract-logic").threads(2)
                .logic("ok", ctx -> ctx.progress(1, "done"))
                .logic("fail", ctx -> {
                    throw new IllegalStateException("failing on purpose");
                })
                .logic("long", ctx -> new CountDownLatch(1).await())
                .build();
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
        return "long";
    }
}
