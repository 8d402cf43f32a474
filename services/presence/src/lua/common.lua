-- Shared by every presence script. ARGV[1] is the key prefix `{prefix}presence:`.
-- Keys (all under P):
--   conn:<user>   hash  connection id -> 'a' (active) | 'w' (away)
--   online        set   users with at least one active connection
--   node:<node>   set   '<user>|<connection id>' of the node's connections
--   nodes         zset  node -> last heartbeat (ms, Redis clock)
--   resync:<node> str   the node must re-send its connections (expires)
--   timers        zset  user -> due time (ms) of the pending offline broadcast
--   ver:<user>    str   version of the user's last announced transition (expires)
--   pending       hash  user -> '<version> <online|offline> <decided ms>': the
--                       last announced transition, until its broadcast succeeded
--   retry         zset  user -> when (ms) to broadcast the pending one again
local P = ARGV[1]

-- A version outlives any reordering of two broadcasts by far; once it expired
-- the clock below still keeps the next one higher.
local VERSION_TTL_MS = 86400000

local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end

local function has_active(user)
  for _, state in ipairs(redis.call('HVALS', P .. 'conn:' .. user)) do
    if state == 'a' then
      return true
    end
  end
  return false
end

-- Records a transition to announce (status 'online' or 'offline') and returns
-- its version: one more than the user's last, and never below the clock in ms,
-- so versions keep rising after Redis lost them (restart, expiry). The
-- transition stays pending until a broadcast of it succeeded
-- (`settle.lua`); until then it is broadcast again every `retry` ms
-- (`retries.lua`), also by another instance should this one die.
local function announce(user, status, now, retry)
  local vkey = P .. 'ver:' .. user
  local version = math.max((tonumber(redis.call('GET', vkey)) or 0) + 1, now)
  version = string.format('%d', version)
  redis.call('SET', vkey, version, 'PX', VERSION_TTL_MS)
  redis.call('HSET', P .. 'pending', user, version .. ' ' .. status .. ' ' .. string.format('%d', now))
  redis.call('ZADD', P .. 'retry', now + retry, user)
  return version
end

-- Applies one connection change (kind: 1 opened, 2 set active, 3 set away,
-- 4 closed) and returns the user's transition:
--   'online' became online, to be broadcast; 'away' stopped being online (offline timer
--   (re)started); '' none. The second value is '1' when a new connection opened,
-- the third the version of an 'online' (see `announce`), '' otherwise.
local function change(user, conn, kind, active, node, now, debounce, retry)
  local hkey = P .. 'conn:' .. user
  local prev = redis.call('HGET', hkey, conn)
  local before = has_active(user)
  local opened = '0'
  if kind == 1 then
    local state = 'w'
    if active then
      state = 'a'
    end
    redis.call('SADD', P .. 'node:' .. node, user .. '|' .. conn)
    if prev == state then
      return '', opened, ''
    end
    if not prev then
      opened = '1'
    end
    redis.call('HSET', hkey, conn, state)
  elseif kind == 2 or kind == 3 then
    local state = 'a'
    if kind == 3 then
      state = 'w'
    end
    if not prev or prev == state then
      return '', opened, ''
    end
    redis.call('HSET', hkey, conn, state)
  elseif kind == 4 then
    if not prev then
      return '', opened, ''
    end
    redis.call('HDEL', hkey, conn)
    redis.call('SREM', P .. 'node:' .. node, user .. '|' .. conn)
  else
    return '', opened, ''
  end
  local after = has_active(user)
  if after and not before then
    redis.call('SADD', P .. 'online', user)
    -- Every transition to online is announced (§17.2), also one within the
    -- debounce of an offline trigger (§17.3: "announced online again"); the
    -- pending offline timer is cancelled, so no offline comes in between.
    redis.call('ZREM', P .. 'timers', user)
    return 'online', opened, announce(user, 'online', now, retry)
  elseif before and not after then
    redis.call('SREM', P .. 'online', user)
    redis.call('ZADD', P .. 'timers', now + debounce, user)
    return 'away', opened, ''
  end
  return '', opened, ''
end
