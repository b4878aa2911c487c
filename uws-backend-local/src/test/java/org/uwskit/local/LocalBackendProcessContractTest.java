package org.uwskit.local;

import java.time.Duration;
import org.uwskit.spi.ExecutionBackend;
import org.uwskit.testkit.ExecutionBackendContract;

/** The testkit's backend contract, for OS processes from Debian's coreutils. */
class LocalBackendProcessContractTest extends ExecutionBackendContract {

    @Override
    protected ExecutionBackend createBackend() {
        return LocalBackend.builder().name("contract-process").threads(2).killGrace(Duration.ofSeconds(1))
                .process("ok", ProcessTemplate.builder("/bin/echo").arg("hello").build())
                .process("fail", ProcessTemplate.builder("/bin/false").build())
                .process("long", ProcessTemplate.builder("/bin/sleep").arg("1000").build())
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
