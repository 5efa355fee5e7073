-- Every request asks a question never asked before, in a realistic mix of written forms (issue 18):
-- landlines with area codes (010, 021, 0755 + 8 digits), 400 and 800 numbers, +86 and 0086 forms
-- of mobiles, foreign numbers (+44 20 7xxx xxxx, +1 212 xxx xxxx, +95 9 7xxxxxxxx) and short codes
-- with a claimed organisation and a context. The counter starts at "-- START" (or at random) and
-- goes up by one a request; request c is of kind c % 10 and its digits come from floor(c / 10),
-- so no two requests of one run repeat. Short codes (4 prefixes x 1,000 x 8 organisations x
-- 4 contexts) repeat only after 128,000 of them, 1,280,000 requests.
-- A second argument (0-9) asks only questions of that kind, as many new ones (`make profile`
-- measures each kind's cost this way, against the naive handler's).
local key = os.getenv("BENCH_API_KEY")
local counter = 0
local only_kind = nil

local orgs = {
  "%E5%B7%A5%E5%95%86%E9%93%B6%E8%A1%8C",  -- 工商银行
  "%E5%BB%BA%E8%AE%BE%E9%93%B6%E8%A1%8C",  -- 建设银行
  "%E5%86%9C%E4%B8%9A%E9%93%B6%E8%A1%8C",  -- 农业银行
  "%E4%B8%AD%E5%9B%BD%E9%93%B6%E8%A1%8C",  -- 中国银行
  "%E6%8B%9B%E5%95%86%E9%93%B6%E8%A1%8C",  -- 招商银行
  "%E4%BA%A4%E9%80%9A%E9%93%B6%E8%A1%8C",  -- 交通银行
  "%E6%94%AF%E4%BB%98%E5%AE%9D",            -- 支付宝
  "%E4%B8%AD%E5%9B%BD%E7%A7%BB%E5%8A%A8",  -- 中国移动
}
local contexts = {"incoming_call", "sms", "outgoing_call", "web"}
local short_prefixes = {"95", "96", "12", "10"}

function init(args)
  if args[2] then only_kind = tonumber(args[2]) end
  if args[1] then
    counter = tonumber(args[1])
  else
    math.randomseed(os.time())
    counter = math.random(1, 1000) * 1000000
  end
end

local function foreign(n)
  local which = n % 3
  local m = math.floor(n / 3)
  if which == 0 then
    return string.format("%%2B44%%2020%%207%03d%%20%04d", math.floor(m / 10000) % 1000, m % 10000)
  elseif which == 1 then
    return string.format("%%2B1%%20212%%20%03d%%20%04d", 200 + math.floor(m / 10000) % 800, m % 10000)
  end
  return string.format("%%2B95%%209%%207%08d", m % 100000000)
end

local function question(c)
  local kind = c % 10
  local n = math.floor(c / 10)
  if kind == 0 then return string.format("number=010%08d", 20000000 + n % 80000000)
  elseif kind == 1 then return string.format("number=021%08d", 50000000 + n % 50000000)
  elseif kind == 2 then return string.format("number=0755%08d", 20000000 + n % 80000000)
  elseif kind == 3 then return string.format("number=400%07d", n % 10000000)
  elseif kind == 4 then return string.format("number=800%07d", n % 10000000)
  elseif kind == 5 then return string.format("number=%%2B86139%08d", n % 100000000)
  elseif kind == 6 then return string.format("number=0086158%08d", n % 100000000)
  elseif kind == 7 or kind == 9 then return "number=" .. foreign(2 * n + (kind == 9 and 1 or 0))
  end
  local s = n % 128000
  return string.format("number=%s%03d&claimed_org=%s&context=%s", short_prefixes[s % 4 + 1],
                       math.floor(s / 4) % 1000, orgs[math.floor(s / 4000) % 8 + 1],
                       contexts[math.floor(s / 32000) % 4 + 1])
end

function request()
  counter = counter + 1
  local headers = {}
  if key then headers["X-API-Key"] = key end
  local c = counter
  if only_kind then c = counter * 10 + only_kind end
  return wrk.format("GET", "/api/v1/verify?" .. question(c), headers)
end
