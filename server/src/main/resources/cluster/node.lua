-- A node's registration, heartbeat and departure, and the dropping of nodes whose heartbeat
-- expired: their nicks are freed and every node is told ('G' event), in the same step, so the
-- first node to notice does it once for all. Times are Redis's own clock, so the nodes' clocks
-- need not agree.
--
-- KEYS[1] live nodes (sorted set: name -> expiry, ms)   KEYS[2] nodes (hash: name -> 'incarnation residue')
-- KEYS[3] nick holders (hash)   KEYS[4] incarnation counter
-- ARGV[1] 'register', 'beat', 'reset' or 'leave'   ARGV[2] node name   ARGV[3] its incarnation (all but 'register')
-- ARGV[4] lifetime of a beat, ms   ARGV[5] channel   ARGV[6] prefix of the per-incarnation nick sets
-- ARGV[7] most nodes (the message-id stride)
-- Returns: register {incarnation, residue, replaced}; beat {1, incarnation, name, ...} for every node
-- registered, or {0} when this
-- incarnation was dropped; reset (frees this incarnation's nicks, before it claims its users' again) and leave 1.
--
-- An incarnation is never given twice, even by a Redis restarted empty: it is at least Redis's
-- clock in milliseconds, and above the last one given.
local nodes, infos, holders = KEYS[1], KEYS[2], KEYS[3]
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

local function release(inc)
  local set = ARGV[6] .. inc
  local prefix = inc .. '.'
  for _, key in ipairs(redis.call('SMEMBERS', set)) do
    local holder = redis.call('HGET', holders, key)
    if holder and string.sub(holder, 1, #prefix) == prefix then
      redis.call('HDEL', holders, key)
    end
  end
  redis.call('DEL', set)
end

local function forget(name)
  local info = redis.call('HGET', infos, name)
  redis.call('ZREM', nodes, name)
  redis.call('HDEL', infos, name)
  if not info then
    return
  end
  local inc = string.match(info, '^(%d+)')
  release(inc)
  redis.call('PUBLISH', ARGV[5], 'G\0' .. inc .. '\0' .. name)
end

for _, name in ipairs(redis.call('ZRANGEBYSCORE', nodes, '-inf', now)) do
  forget(name)
end

local mode, name = ARGV[1], ARGV[2]
if mode == 'register' then
  local replaced = 0
  if redis.call('HEXISTS', infos, name) == 1 then
    forget(name) -- an earlier run of this node, or another node under the same name
    replaced = 1
  end
  local inc = math.max(redis.call('INCR', KEYS[4]), now)
  inc = string.format('%.0f', inc)
  redis.call('SET', KEYS[4], inc)
  local used = {}
  for _, info in ipairs(redis.call('HVALS', infos)) do
    used[tonumber(string.match(info, '(%d+)$'))] = true
  end
  local residue = 0
  while used[residue] do
    residue = residue + 1
  end
  if residue >= tonumber(ARGV[7]) then
    return redis.error_reply('the cluster has ' .. ARGV[7] .. ' nodes already')
  end
  redis.call('HSET', infos, name, inc .. ' ' .. residue)
  redis.call('ZADD', nodes, now + tonumber(ARGV[4]), name)
  return {tonumber(inc), residue, replaced}
end

local info = redis.call('HGET', infos, name)
local current = info ~= false and string.match(info, '^(%d+)') == ARGV[3]
if mode == 'leave' then
  if current then
    forget(name)
  end
  return 1
end
if mode == 'reset' then
  if current then
    release(ARGV[3])
  end
  return 1
end
if not current then
  return {0}
end
redis.call('ZADD', nodes, now + tonumber(ARGV[4]), name)
local reply = {1}
local all = redis.call('HGETALL', infos)
for i = 1, #all, 2 do
  reply[#reply + 1] = tonumber(string.match(all[i + 1], '^(%d+)'))
  reply[#reply + 1] = all[i]
end
return reply
