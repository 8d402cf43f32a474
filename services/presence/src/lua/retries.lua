-- Pending announcements due again: ARGV[2] the most to claim, ARGV[3] retry
-- ms, ARGV[4] give-up age ms. Each one claimed is pushed back by the retry
-- period (so one instance re-broadcasts it per period); one decided longer
-- ago than the give-up age is dropped: the state it announced is stale, and
-- clients read the current one with their next chat list.
-- Returns (user, version, status) per claimed announcement, then the number
-- given up as the last element.
local now = now_ms()
local retry = tonumber(ARGV[3])
local give_up = tonumber(ARGV[4])
local due = redis.call('ZRANGEBYSCORE', P .. 'retry', '-inf', now, 'LIMIT', 0, tonumber(ARGV[2]))
local out = {}
local dropped = 0
for _, user in ipairs(due) do
  local pending = redis.call('HGET', P .. 'pending', user)
  local version, status, decided
  if pending then
    version, status, decided = string.match(pending, '^(%d+) (%a+) (%d+)$')
  end
  if not version then
    redis.call('ZREM', P .. 'retry', user)
    redis.call('HDEL', P .. 'pending', user)
  elseif now - tonumber(decided) > give_up then
    redis.call('ZREM', P .. 'retry', user)
    redis.call('HDEL', P .. 'pending', user)
    dropped = dropped + 1
  else
    redis.call('ZADD', P .. 'retry', now + retry, user)
    out[#out + 1] = user
    out[#out + 1] = version
    out[#out + 1] = status
  end
end
out[#out + 1] = tostring(dropped)
return out
