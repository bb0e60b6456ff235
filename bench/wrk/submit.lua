-- POST a multipart dossier submission to wrk's URL: token auth (a random one of TOKENS) and a
-- fresh Idempotency-Key per request. BODY is the multipart body file, BOUNDARY its boundary.
dofile(os.getenv("WRK_DIR") .. "/common.lua")
local tokens, body, run, n

function init(args)
  tokens = read_lines(os.getenv("TOKENS"))
  local f = assert(io.open(os.getenv("BODY"), "rb"))
  body = f:read("*a")
  f:close()
  run = os.getenv("RUN_ID")
  n = 0
  math.randomseed(os.time() * 100 + (thread_id or 0))
end

function request()
  n = n + 1
  local headers = {
    ["Content-Type"] = "multipart/form-data; boundary=" .. os.getenv("BOUNDARY"),
    ["Authorization"] = "Token " .. tokens[math.random(#tokens)],
    ["Idempotency-Key"] = string.format("%s-%d-%d", run, thread_id or 0, n),
  }
  return wrk.format("POST", nil, headers, body)
end
