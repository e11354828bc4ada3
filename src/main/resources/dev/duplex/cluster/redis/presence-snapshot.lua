-- Every live node's presence entries at one instant: node, {field, value, ...}, node, {...}, ...
-- KEYS[1]: the live nodes (a sorted set). ARGV[1]: the prefix of a node's entries key.
local result = {}
for _, node in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
  result[#result + 1] = node
  result[#result + 1] = redis.call('HGETALL', ARGV[1] .. node)
end
return result
