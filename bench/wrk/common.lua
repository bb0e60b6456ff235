-- Shared by the wrk scripts: number the threads and print a JSON summary line at the end.
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("thread_id", counter)
  table.insert(threads, thread)
end

-- Every answer but 200/201 counts as wrong (wrk itself only counts 4xx/5xx): a redirect to the
-- login page must not pass for a fast page.
unexpected = 0

function response(status, headers, body)
  if status ~= 200 and status ~= 201 then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  local e = summary.errors
  local wrong = 0
  for _, thread in ipairs(threads) do
    wrong = wrong + (thread:get("unexpected") or 0)
  end
  io.write(string.format(
    'JSON {"requests": %d, "duration_us": %d, "non2xx": %d, "socket_errors": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "mean_us": %.0f}\n',
    summary.requests, summary.duration, wrong, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.mean))
end

function read_lines(path)
  local lines = {}
  for line in io.lines(path) do
    if line ~= "" then lines[#lines + 1] = line end
  end
  return lines
end
