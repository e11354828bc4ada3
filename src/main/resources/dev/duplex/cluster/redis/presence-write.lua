-- Changes to a node's presence entries, kept and announced in one step: one change, or a window's batch.
-- KEYS[1]: the node's entries (a hash).
-- ARGV: last sequence, channel, message, entries' time to live (ms), then per change in order:
-- op (J join / L leave), field, value.
for i = 5, #ARGV, 3 do
  if ARGV[i] == 'J' then
    redis.call('HSET', KEYS[1], ARGV[i + 1], ARGV[i + 2])
  else
    redis.call('HDEL', KEYS[1], ARGV[i + 1])
  end
end
redis.call('HSET', KEYS[1], '#seq', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('PUBLISH', ARGV[2], ARGV[3])
return 1
