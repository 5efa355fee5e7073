-- Every request asks about a mobile number never asked before (no answer can be reused).
local key = os.getenv("BENCH_API_KEY")
local counter = 0

function init(args)
  math.randomseed(os.time())
  counter = math.random(1, 1000000) * 100
end

function request()
  counter = counter + 1
  local headers = {}
  if key then headers["X-API-Key"] = key end
  return wrk.format("GET", string.format("/api/v1/verify?number=136%08d", counter % 100000000), headers)
end
