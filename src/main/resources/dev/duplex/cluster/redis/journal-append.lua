-- Appends one entry to a stream: numbered, kept in its log and published, in one step.
-- KEYS[1]: the stream's meta (a hash of epoch, seq and base), KEYS[2]: its log, KEYS[3]: its snapshot,
-- KEYS[4]: the namespace's streams (a sorted set: name to the time of its last use, Redis' clock).
-- ARGV: node, nonce, entry, channel, time to live (ms), the epoch a stream that does not exist yet begins,
-- the epoch the appender's copy is of ('' for none), the stream's name, the most streams there may be,
-- how long a stream stays unused (ms) once no node follows it, what its keys begin with.
-- A log element and a message are "<epoch> <seq> <node> <nonce>\n<entry>". Returns {log length, snapshot
-- length}; {-1} when the appender's copy is of a stream that Redis lost (it is restored first); {-2} when
-- the stream would be new and the namespace holds as many as it may, all of them in use.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local epoch = redis.call('HGET', KEYS[1], 'epoch')
if not epoch then
  if ARGV[7] ~= '' then
    return {-1}
  end
  if not redis.call('ZSCORE', KEYS[4], ARGV[8]) then
    -- Streams unused for a time to live have expired: they no longer count.
    redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - tonumber(ARGV[5]))
    if redis.call('ZCARD', KEYS[4]) >= tonumber(ARGV[9]) then
      -- Room is made by the least recently used stream, if no node follows it (followers mark theirs).
      local oldest = redis.call('ZRANGE', KEYS[4], 0, 0, 'WITHSCORES')
      if tonumber(oldest[2]) >= now - tonumber(ARGV[10]) then
        return {-2}
      end
      redis.call('DEL', ARGV[11] .. oldest[1] .. ':meta', ARGV[11] .. oldest[1] .. ':log',
        ARGV[11] .. oldest[1] .. ':snapshot')
      redis.call('ZREM', KEYS[4], oldest[1])
    end
  end
  epoch = ARGV[6]
  redis.call('DEL', KEYS[2], KEYS[3])
  redis.call('HSET', KEYS[1], 'epoch', epoch, 'seq', 0, 'base', 0)
end
local seq = redis.call('HINCRBY', KEYS[1], 'seq', 1)
local message = epoch .. ' ' .. seq .. ' ' .. ARGV[1] .. ' ' .. ARGV[2] .. '\n' .. ARGV[3]
local length = redis.call('RPUSH', KEYS[2], message)
for i = 1, 3 do
  redis.call('PEXPIRE', KEYS[i], ARGV[5])
end
redis.call('ZADD', KEYS[4], now, ARGV[8])
redis.call('PUBLISH', ARGV[4], message)
return {length, redis.call('LLEN', KEYS[3])}
