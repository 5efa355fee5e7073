-- Each request files a new report, from a new app user, about one of many numbers.
local key = os.getenv("BENCH_API_KEY")
local counter = 0

function init(args)
  math.randomseed(os.time())
  counter = math.random(1, 1000000) * 1000
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"number":"137%08d","category":"fake_customer_service","channel":"incoming_call","reporter_id":"bench-%d","description":"benchmark"}',
    counter % 100000, counter)
  return wrk.format("POST", "/api/v1/reports",
    {["Content-Type"] = "application/json", ["X-API-Key"] = key}, body)
end
