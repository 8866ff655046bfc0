-- Claims a nick for a user, or gives one up, and publishes the event that says so, in one step:
-- every node then sees the claims in the order Redis granted them, and a nick has one holder.
-- A user whose nick was claimed first by another node's user gets its guest nick instead, in the
-- event as published (its own node renames it when the event comes back).
--
-- KEYS[1] nick holders (hash: nick key -> uid)    KEYS[2] the nicks of this node's incarnation (set)
-- KEYS[3] nodes (hash: name -> 'incarnation residue')
-- Nothing is claimed nor published for an incarnation that is no longer a node's (dropped while it
-- was silent): its users are gone for the others, and it registers again.
-- ARGV[1] uid   ARGV[2] key of the nick asked for, '' for none (the user quits)
-- ARGV[3] key of the nick given up, '' for none   ARGV[4] the nick asked for   ARGV[5] its guest nick
-- ARGV[6] channel   ARGV[7], ARGV[8] the message before and after the nick granted
local holders, mine, uid = KEYS[1], KEYS[2], ARGV[1]

local incarnation = string.match(uid, '^(%d+)%.')
local live = false
for _, info in ipairs(redis.call('HVALS', KEYS[3])) do
  if string.match(info, '^(%d+)') == incarnation then
    live = true
  end
end
if not live then
  return false
end

local function claim(key)
  local holder = redis.call('HGET', holders, key)
  if holder and holder ~= uid then
    return false
  end
  redis.call('HSET', holders, key, uid)
  redis.call('SADD', mine, key)
  return true
end

local nick, key = ARGV[4], ARGV[2]
if key ~= '' and not claim(key) then
  nick = ARGV[5]
  key = string.lower(nick)
  local tries = 0
  while not claim(key) do
    tries = tries + 1
    if tries > 32 - string.len(ARGV[5]) then -- a nick has at most 32 characters
      return redis.error_reply('no free guest nick for ' .. uid)
    end
    nick = ARGV[5] .. string.rep('_', tries)
    key = string.lower(nick)
  end
end

local old = ARGV[3]
if old ~= '' and old ~= key and redis.call('HGET', holders, old) == uid then
  redis.call('HDEL', holders, old)
  redis.call('SREM', mine, old)
end

local escaped = string.gsub(nick, '\\', '\\\\')
redis.call('PUBLISH', ARGV[6], ARGV[7] .. escaped .. ARGV[8])
return nick
