-- wrk: the figures of a run as key=value lines (read by run.sh). Latencies in ms.
done = function(summary, latency, requests)
  local s = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format("wrk.rate=%.0f\n", summary.requests / s))
  io.write(string.format("wrk.p50_ms=%.2f\n", latency:percentile(50) / 1000))
  io.write(string.format("wrk.p99_ms=%.2f\n", latency:percentile(99) / 1000))
  io.write(string.format("wrk.max_ms=%.2f\n", latency.max / 1000))
  io.write(string.format("wrk.requests=%d\n", summary.requests))
  io.write(string.format("wrk.seconds=%.2f\n", s))
  io.write(string.format("wrk.bad_status=%d\n", e.status))
  io.write(string.format("wrk.socket_errors=%d\n", e.connect + e.read + e.write + e.timeout))
end
