-- Reap: ARGV[2] node TTL ms, ARGV[3] debounce ms, ARGV[4] retry ms. Claims at
-- most one node silent for longer than the TTL (the ZREM happens in this
-- script, so exactly one instance claims it), closes its connections through
-- the usual rules and flags it for a resync should it come back.
-- Returns {} or (node, then (user, transition) per connection closed; closing
-- never makes anyone online, so there is nothing to announce yet).
local now = now_ms()
local dead = redis.call('ZRANGEBYSCORE', P .. 'nodes', '-inf', now - tonumber(ARGV[2]), 'LIMIT', 0, 1)
if #dead == 0 then
  return {}
end
local node = dead[1]
local debounce = tonumber(ARGV[3])
local retry = tonumber(ARGV[4])
redis.call('ZREM', P .. 'nodes', node)
redis.call('SET', P .. 'resync:' .. node, '1', 'PX', 86400000)
local out = {node}
local nkey = P .. 'node:' .. node
for _, member in ipairs(redis.call('SMEMBERS', nkey)) do
  local sep = string.find(member, '|', 1, true)
  if sep then
    local user = string.sub(member, 1, sep - 1)
    local transition = change(user, string.sub(member, sep + 1), 4, false, node, now, debounce, retry)
    out[#out + 1] = user
    out[#out + 1] = transition
  end
end
redis.call('DEL', nkey)
return out
