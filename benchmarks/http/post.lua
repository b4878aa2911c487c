-- wrk: create a demo job (form body; it stays PENDING: creation only), then report like report.lua.
wrk.method = "POST"
wrk.body = "SECONDS=1"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
dofile(os.getenv("UWSKIT_BENCH_DIR") .. "/report.lua")
