-- wrk: GET the URL given to wrk (one job), then report like report.lua.
wrk.headers["Accept"] = "application/xml"
dofile(os.getenv("UWSKIT_BENCH_DIR") .. "/report.lua")
