-- Due offline timers: ARGV[2] the most to pop. Each due timer is removed here
-- (so exactly one instance fires it); a user still not online is returned.
local now = now_ms()
local due = redis.call('ZRANGEBYSCORE', P .. 'timers', '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
for _, user in ipairs(due) do
  redis.call('ZREM', P .. 'timers', user)
  if redis.call('SISMEMBER', P .. 'online', user) == 0 then
    out[#out + 1] = user
  end
end
return out
