-- This node's heartbeat, and the removal of nodes whose heartbeat stopped. Times are Redis' own clock, so
-- the nodes' clocks need not agree.
-- KEYS[1]: the live nodes (a sorted set: node to the time of its last heartbeat, in ms).
-- ARGV[1]: this node. ARGV[2]: a node is dead once its last heartbeat is this many ms old.
-- ARGV[3]: '1' to remove dead nodes ('0' while this node has not been connected long enough to judge).
-- ARGV[4]: how long a node's presence entries outlive its last heartbeat, in ms.
-- ARGV[5]: the membership channel. ARGV[6..]: each namespace's prefix of a node's presence entries key.
-- Returns 0 when this node is not registered (it was judged dead, or Redis lost its data: the node then
-- states its entries again, which registers it); else 1 followed by the live nodes.
local now = redis.call('TIME')
local millis = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then
  return {0}
end
redis.call('ZADD', KEYS[1], millis, ARGV[1])
for i = 6, #ARGV do
  redis.call('PEXPIRE', ARGV[i] .. ARGV[1], ARGV[4])
end
if ARGV[3] == '1' then
  for _, node in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', millis - tonumber(ARGV[2]))) do
    redis.call('ZREM', KEYS[1], node)
    for i = 6, #ARGV do
      redis.call('DEL', ARGV[i] .. node)
    end
    redis.call('PUBLISH', ARGV[5], 'gone ' .. node)
  end
end
local result = redis.call('ZRANGE', KEYS[1], 0, -1)
table.insert(result, 1, 1)
return result
