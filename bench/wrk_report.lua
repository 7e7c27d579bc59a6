-- wrk script for bench/web_bench.py: headers and body from the environment, a JSON summary
-- with the percentiles we report (wrk's own --latency output has no p95).
local method = os.getenv("BENCH_METHOD") or "GET"
local body = os.getenv("BENCH_BODY")
local headers = {}
for line in string.gmatch(os.getenv("BENCH_HEADERS") or "", "[^\n]+") do
  local name, value = string.match(line, "^([^:]+):%s*(.*)$")
  if name then headers[name] = value end
end

-- BENCH_PATHS: one path per line, requested in turn (a different page each time).
local paths = {}
for line in string.gmatch(os.getenv("BENCH_PATHS") or "", "[^\n]+") do
  paths[#paths + 1] = line
end
local counter = 0

request = function()
  if #paths > 0 then
    counter = counter + 1
    return wrk.format(method, paths[(counter % #paths) + 1], headers, body)
  end
  return wrk.format(method, nil, headers, body)
end

done = function(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "seconds": %.3f, "rps": %.1f, "p50": %.3f, "p95": %.3f, ' ..
    '"p99": %.3f, "max": %.3f, "errors_status": %d, "errors_socket": %d}\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, e.status, e.connect + e.read + e.write + e.timeout))
end
