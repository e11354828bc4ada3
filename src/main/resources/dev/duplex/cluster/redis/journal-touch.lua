-- Keeps the streams a node follows from expiring while nobody changes them.
-- KEYS[1]: the namespace's streams (a sorted set), then each stream's keys. ARGV[1]: time to live (ms),
-- then the streams' names.
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
for i = 2, #KEYS do
  redis.call('PEXPIRE', KEYS[i], ARGV[1])
end
for i = 2, #ARGV do
  redis.call('ZADD', KEYS[1], now, ARGV[i])
end
return #ARGV - 1
