-- Due offline timers: ARGV[2] the most to pop, ARGV[3] retry ms. Each due
-- timer is removed here (so exactly one instance fires it); a user still not
-- online gets an 'offline' announced (see `announce`).
-- Returns (user, version) per offline.
local now = now_ms()
local retry = tonumber(ARGV[3])
local due = redis.call('ZRANGEBYSCORE', P .. 'timers', '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for _, user in ipairs(due) do
  redis.call('ZREM', P .. 'timers', user)
  if redis.call('SISMEMBER', P .. 'online', user) == 0 then
    out[#out + 1] = user
    out[#out + 1] = announce(user, 'offline', now, retry)
  end
end
return out
