-- Heartbeat: ARGV[2] node. Records the beat; returns 1 when the node must
-- resync (unknown here: never seen, declared dead, or Redis lost the state).
local node = ARGV[2]
local added = redis.call('ZADD', P .. 'nodes', now_ms(), node)
local flagged = redis.call('DEL', P .. 'resync:' .. node)
if added == 1 or flagged == 1 then
  return 1
end
return 0
