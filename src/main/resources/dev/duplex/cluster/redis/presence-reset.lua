-- A node states all of its presence entries in a namespace at once (after Redis lost or missed some), and
-- is registered among the live nodes if it was not.
-- KEYS[1]: the node's entries (a hash). KEYS[2]: the live nodes.
-- ARGV: node, sequence, entries' time to live (ms), channel, message, then field, value, field, value, ...
local now = redis.call('TIME')
redis.call('ZADD', KEYS[2], tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000), ARGV[1])
redis.call('DEL', KEYS[1])
for i = 6, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
end
redis.call('HSET', KEYS[1], '#seq', ARGV[2])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
redis.call('PUBLISH', ARGV[4], ARGV[5])
return 1
