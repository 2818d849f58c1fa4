-- wrk: the password step of the Utente Estero sign-in from many clients (a
-- botnet): each request comes "through the proxy" from its own address and
-- tries its own e-mail, so throttling does not stop it and every request that
-- is let in pays a full Argon2id verification (unknown accounts cost the same).
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local n = 0
request = function()
  n = n + 1
  local ip = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
  wrk.headers["X-Forwarded-For"] = ip
  local body = string.format("email=flood%d.%d%%40example.org&password=Servizi+Lavoro+demo+2026", n, math.random(1, 1e9))
  return wrk.format(nil, nil, nil, body)
end

-- Answers by status, per thread: 401 (checked and refused), 429/503 (held
-- back on purpose), anything else is an error.
s401, s429, s503, other = 0, 0, 0, 0
response = function(status)
  if status == 401 then s401 = s401 + 1
  elseif status == 429 then s429 = s429 + 1
  elseif status == 503 then s503 = s503 + 1
  else other = other + 1 end
end

local threads = {}
setup = function(thread) table.insert(threads, thread) end

done = function()
  local t = { s401 = 0, s429 = 0, s503 = 0, other = 0 }
  for _, th in ipairs(threads) do
    for k, _ in pairs(t) do t[k] = t[k] + th:get(k) end
  end
  io.write(string.format("status 401: %d, 429: %d, 503: %d, other: %d\n", t.s401, t.s429, t.s503, t.other))
end
