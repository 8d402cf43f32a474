-- A broadcast succeeded: ARGV[2] user, ARGV[3] its version. The user's pending
-- announcement is removed unless a newer transition replaced it meanwhile.
-- Returns 1 when removed.
local user = ARGV[2]
local pending = redis.call('HGET', P .. 'pending', user)
if pending and string.match(pending, '^(%d+) ') == ARGV[3] then
  redis.call('HDEL', P .. 'pending', user)
  redis.call('ZREM', P .. 'retry', user)
  return 1
end
return 0
