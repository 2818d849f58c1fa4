-- wrk: PAGES requests over the pages listed in the file PATHS, each with one
-- of the cookies in the file COOKIES (an empty line: anonymous), in turn; then
-- stop. Counts the answers by status.
local function lines(file)
  local t = {}
  for line in io.lines(file) do table.insert(t, line) end
  return t
end
local paths = lines(os.getenv("PATHS"))
local cookies = lines(os.getenv("COOKIES"))
local limit = tonumber(os.getenv("PAGES") or "10000")
local n, answered = 0, 0
ok, other = 0, 0

request = function()
  n = n + 1
  local headers = {}
  local cookie = cookies[(n % #cookies) + 1]
  if cookie ~= "" then headers["Cookie"] = cookie end
  return wrk.format("GET", paths[(n % #paths) + 1], headers)
end

response = function(status)
  answered = answered + 1
  if status < 400 then ok = ok + 1 else other = other + 1 end
  if answered >= limit then wrk.thread:stop() end
end

local threads = {}
setup = function(thread) table.insert(threads, thread) end

done = function()
  local t = { ok = 0, other = 0 }
  for _, thread in ipairs(threads) do
    t.ok = t.ok + thread:get("ok")
    t.other = t.other + thread:get("other")
  end
  io.write(string.format("pages: %d answered\nstatus: %d below 400, %d 4xx/5xx\n", t.ok + t.other, t.ok, t.other))
end
