-- GET a random dossier code: PATH_FMT (e.g. "/api/v1/tracking/%s/") with a code from CODES.
dofile(os.getenv("WRK_DIR") .. "/common.lua")
local codes, fmt

function init(args)
  fmt = os.getenv("PATH_FMT")
  codes = read_lines(os.getenv("CODES"))
  math.randomseed(os.time() * 100 + (thread_id or 0))
end

function request()
  return wrk.format("GET", string.format(fmt, codes[math.random(#codes)]))
end
