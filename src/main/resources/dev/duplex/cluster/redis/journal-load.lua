-- A stream as it stands: {epoch, base, seq, snapshot entries, log elements}, or {} when it does not exist.
-- KEYS: meta, log, snapshot (see journal-append.lua). ARGV[1]: time to live (ms), renewed.
local meta = redis.call('HMGET', KEYS[1], 'epoch', 'base', 'seq')
if not meta[1] then
  return {}
end
for i = 1, 3 do
  redis.call('PEXPIRE', KEYS[i], ARGV[1])
end
return {meta[1], meta[2], meta[3], redis.call('LRANGE', KEYS[3], 0, -1), redis.call('LRANGE', KEYS[2], 0, -1)}
