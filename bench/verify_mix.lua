-- Cycles through the request paths in the file named after "--" (one per line).
local paths = {}
local position = 0
local key = os.getenv("BENCH_API_KEY")

function init(args)
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  position = math.random(#paths)
end

function request()
  position = position % #paths + 1
  local headers = {}
  if key then headers["X-API-Key"] = key end
  return wrk.format("GET", paths[position], headers)
end
