-- GET one path (wrk's URL) with the COOKIE header, for signed-in pages.
dofile(os.getenv("WRK_DIR") .. "/common.lua")

function init(args)
  wrk.headers["Cookie"] = os.getenv("COOKIE")
end
