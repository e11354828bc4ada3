-- Restores a stream that Redis lost (restarted empty) from a node's copy: a new epoch whose snapshot is
-- the copy, only while the stream does not exist; followers of the old epoch reload on its notice.
-- KEYS: meta, log, snapshot, the namespace's streams. ARGV: epoch, node, channel, time to live (ms), the
-- stream's name, the copy's entries.
if redis.call('EXISTS', KEYS[1]) == 1 then
  return 0
end
redis.call('DEL', KEYS[2], KEYS[3])
redis.call('HSET', KEYS[1], 'epoch', ARGV[1], 'seq', 0, 'base', 0)
for i = 6, #ARGV, 1000 do
  redis.call('RPUSH', KEYS[3], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
for i = 1, 3 do
  redis.call('PEXPIRE', KEYS[i], ARGV[4])
end
local time = redis.call('TIME')
redis.call('ZADD', KEYS[4], tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000), ARGV[5])
-- Sequence 0 of the new epoch: no entry, only the news that the stream begins again.
redis.call('PUBLISH', ARGV[3], ARGV[1] .. ' 0 ' .. ARGV[2] .. ' 0\n')
return 1
