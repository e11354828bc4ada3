-- Replaces a stream's entries up to seq S with a snapshot of the state they built: only while the stream
-- is still of that epoch and S is past its snapshot and within its log, so a late or second compaction
-- changes nothing. KEYS: meta, log, snapshot. ARGV: epoch, S, time to live (ms), the snapshot's entries.
local meta = redis.call('HMGET', KEYS[1], 'epoch', 'base', 'seq')
if meta[1] ~= ARGV[1] then
  return 0
end
local base, seq, s = tonumber(meta[2]), tonumber(meta[3]), tonumber(ARGV[2])
if s <= base or s > seq then
  return 0
end
redis.call('DEL', KEYS[3])
for i = 4, #ARGV, 1000 do
  redis.call('RPUSH', KEYS[3], unpack(ARGV, i, math.min(i + 999, #ARGV)))
end
-- The log holds base+1 .. seq in order: the first s - base of them are in the snapshot now.
redis.call('LTRIM', KEYS[2], s - base, -1)
redis.call('HSET', KEYS[1], 'base', s)
for i = 1, 3 do
  redis.call('PEXPIRE', KEYS[i], ARGV[3])
end
return 1
