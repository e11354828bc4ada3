-- One change to a node's presence entries, kept and announced in one step.
-- KEYS[1]: the node's entries (a hash).
-- ARGV: sequence, field, value, op (J join / L leave), channel, message, entries' time to live (ms).
if ARGV[4] == 'J' then
  redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
else
  redis.call('HDEL', KEYS[1], ARGV[2])
end
redis.call('HSET', KEYS[1], '#seq', ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[7])
redis.call('PUBLISH', ARGV[5], ARGV[6])
return 1
