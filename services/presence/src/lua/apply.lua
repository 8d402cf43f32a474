-- Apply: ARGV[2] node, ARGV[3] debounce ms, ARGV[4] retry ms, then (connection,
-- user, kind, active '1'|'0') per change, in order. A node first seen here is
-- registered (so the reaper covers it) and asked to resync at its next
-- heartbeat, since what it reported before (if anything) may be lost.
-- Returns (user, transition, opened, version) per change.
local node = ARGV[2]
local debounce = tonumber(ARGV[3])
local retry = tonumber(ARGV[4])
local now = now_ms()
if not redis.call('ZSCORE', P .. 'nodes', node) then
  redis.call('ZADD', P .. 'nodes', now, node)
  redis.call('SET', P .. 'resync:' .. node, '1', 'PX', 86400000)
end
local out = {}
for i = 5, #ARGV - 3, 4 do
  local user = ARGV[i + 1]
  local transition, opened, version = change(user, ARGV[i], tonumber(ARGV[i + 2]), ARGV[i + 3] == '1', node, now, debounce, retry)
  out[#out + 1] = user
  out[#out + 1] = transition
  out[#out + 1] = opened
  out[#out + 1] = version
end
return out
