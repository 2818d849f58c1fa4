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

-- Count the answers by status: 401 (checked and refused), 429/503 (held back).
local statuses = {}
response = function(status)
  statuses[status] = (statuses[status] or 0) + 1
end

done = function(summary, latency, requests)
  for status, count in pairs(statuses) do
    io.write(string.format("status %d: %d\n", status, count))
  end
end
