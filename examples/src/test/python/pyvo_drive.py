#!/usr/bin/python3
"""Drives the uwskit example server with pyvo, as a TAP client would.

Usage: /usr/bin/python3 pyvo_drive.py TAP_BASE_URL   (e.g. http://127.0.0.1:8080/tap)

The demo job list answers at TAP_BASE_URL/async. Each step prints "OK <step>" when it passed; the first failure
prints "FAIL <step>: <why>" and exits with code 1. PyvoIT (failsafe) runs this script and checks its output.
"""
import datetime
import sys
import time
import traceback
from xml.etree import ElementTree

import pyvo
from pyvo.dal.exceptions import DALQueryError, DALServiceError
from pyvo.dal.tap import AsyncTAPJob, TAPService

WAIT_TIMEOUT = 30.0


def ok(step):
    print("OK " + step, flush=True)


def check(step, condition, why):
    if not condition:
        raise AssertionError(step + ": " + why)


def poll_phase(job, wanted, timeout=WAIT_TIMEOUT):
    """pyvo's wait() refuses ABORTED (not an "active" phase), so poll for it with a deadline."""
    deadline = time.monotonic() + timeout
    while True:
        phase = job.phase
        if phase in wanted:
            return phase
        if time.monotonic() > deadline:
            raise AssertionError("job %s still %s after %.0f s, wanted %s" % (job.url, phase, timeout, wanted))
        time.sleep(0.1)


def completed_job(tap):
    step = "completed job"
    job = AsyncTAPJob.create(tap, "SELECT 1", MESSAGE="hello from pyvo", SECONDS="0.3")
    check(step, job.url.startswith(tap + "/async/"), "job URL after the creation redirect is " + job.url)
    check(step, job.phase == "PENDING", "a new job is " + job.phase)
    # pyvo's job.query looks for id="query" exactly; the server keeps the name as the client sent it (QUERY)
    query = [p.content for p in job.job.parameters if p.id_.lower() == "query"]
    check(step, query == ["SELECT 1"], "QUERY parameter reads back as %r" % query)

    job.execution_duration = 600.0
    check(step, float(job.execution_duration.sec) == 600.0,
          "executionduration after POST 600.0 is %s" % job.execution_duration)
    destruction = (datetime.datetime.utcnow() + datetime.timedelta(days=2)).replace(microsecond=123456)
    job.destruction = destruction
    got = job.destruction.datetime if hasattr(job.destruction, "datetime") else job.destruction
    check(step, abs((got - destruction).total_seconds()) < 1,
          "destruction after POST %s reads back as %s" % (destruction, got))

    job.run()
    job.wait(timeout=WAIT_TIMEOUT)
    check(step, job.phase == "COMPLETED", "after wait() the job is " + job.phase)
    job.raise_if_error()
    result = job.result
    check(step, result is not None and result.id_ == "result", "no result 'result' in %s" % job.results)
    response = job._session.get(job.result_uri, timeout=10)
    response.raise_for_status()
    check(step, response.text == "hello from pyvo\n", "the result reads %r" % response.text)
    check(step, response.headers.get("Content-Type", "").startswith("text/plain"),
          "the result's content type is " + response.headers.get("Content-Type", "(none)"))
    url = job.url
    job.delete()
    after = job._session.get(url, timeout=10)
    check(step, after.status_code == 404, "GET after delete answered %d" % after.status_code)
    ok(step)


def failing_job(tap):
    step = "failing job"
    job = AsyncTAPJob.create(tap, "SELECT 2", FAIL="true", SECONDS="0", MESSAGE="doomed")
    job.run()
    job.wait(timeout=WAIT_TIMEOUT)
    check(step, job.phase == "ERROR", "after wait() the job is " + job.phase)
    try:
        job.raise_if_error()
        raise AssertionError(step + ": raise_if_error() did not raise")
    except DALQueryError:
        pass
    summary = job._job.errorsummary
    check(step, summary is not None, "the job document has no errorSummary")
    check(step, summary.type_ == "fatal", "errorSummary type is %r" % summary.type_)
    message = summary.message.content if summary.message is not None else None
    if message is None:
        # pyvo before 1.4 never parses the children of errorSummary; read <uws:message> as later pyvo does
        print("note: pyvo %s does not parse errorSummary/message; reading it from the XML" % pyvo.__version__)
        doc = ElementTree.fromstring(job._session.get(job.url, timeout=10).content)
        found = doc.find("uws:errorSummary/uws:message", {"uws": "http://www.ivoa.net/xml/UWS/v1.0"})
        message = found.text if found is not None else None
    check(step, message is not None and "FAIL=true" in message, "the error message is %r" % message)
    if summary.has_detail:
        detail = job._session.get(job.url + "/error", timeout=10)
        check(step, detail.status_code == 200 and "FAIL=true" in detail.text,
              "GET /error answered %d: %r" % (detail.status_code, detail.text[:200]))
    print("error message: " + message, flush=True)
    job.delete()
    ok(step)


def aborted_job(tap):
    step = "aborted job"
    job = AsyncTAPJob.create(tap, "SELECT 3", SECONDS="60")
    job.run()
    poll_phase(job, {"EXECUTING"})
    started = time.monotonic()
    job.abort()
    poll_phase(job, {"ABORTED"}, timeout=10)
    check(step, time.monotonic() - started < 5, "the abort took %.1f s" % (time.monotonic() - started))
    job.delete()
    ok(step)


def job_list(tap):
    step = "job list"
    service = TAPService(tap)
    job = AsyncTAPJob.create(tap, "SELECT 4", SECONDS="0", RUNID="pyvo-list")
    job.run()
    job.wait(timeout=WAIT_TIMEOUT)
    ids = [j.jobid for j in service.get_job_list(phases=["COMPLETED"], last=5)]
    check(step, job.job_id in ids, "job %s not in the COMPLETED list %s" % (job.job_id, ids))
    pending = [j.jobid for j in service.get_job_list(phases=["PENDING"])]
    check(step, job.job_id not in pending, "completed job %s listed as PENDING" % job.job_id)
    job.delete()
    ok(step)


def main():
    if len(sys.argv) != 2:
        print("usage: pyvo_drive.py TAP_BASE_URL", file=sys.stderr)
        return 2
    tap = sys.argv[1].rstrip("/")
    print("pyvo " + pyvo.__version__ + " against " + tap, flush=True)
    for step in (completed_job, failing_job, aborted_job, job_list):
        try:
            step(tap)
        except (AssertionError, DALServiceError, DALQueryError, Exception) as e:
            print("FAIL %s: %s" % (step.__name__, e), flush=True)
            traceback.print_exc()
            return 1
    print("ALL OK", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
