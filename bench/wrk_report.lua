-- wrk script: counts responses by status and prints one line of JSON figures at the end
-- (requests, errors, p50/p95/p99 latency in microseconds), for bench/http.py to parse.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  ok, not_modified, redirects, failed = 0, 0, 0, 0
end

function response(status, headers, body)
  if status < 300 then
    ok = ok + 1
  elseif status == 304 then
    not_modified = not_modified + 1
  elseif status < 400 then
    redirects = redirects + 1
  else
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local counts = {ok = 0, not_modified = 0, redirects = 0, failed = 0}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(counts) do
      counts[name] = counts[name] + (thread:get(name) or 0)
    end
  end
  local errors = summary.errors
  io.write(string.format(
    'WRK_JSON {"requests": %d, "duration_us": %d, "ok": %d, "not_modified": %d, "redirects": %d, ' ..
    '"failed": %d, "socket_errors": %d, "timeouts": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
    '"max_us": %d}\n',
    summary.requests, summary.duration, counts.ok, counts.not_modified, counts.redirects, counts.failed,
    errors.connect + errors.read + errors.write, errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
