-- A node leaves the cluster: it is no longer live, its presence entries are deleted, and the others told.
-- KEYS[1]: the live nodes. ARGV[1]: the node. ARGV[2]: the membership channel.
-- ARGV[3..]: each namespace's prefix of a node's presence entries key.
redis.call('ZREM', KEYS[1], ARGV[1])
for i = 3, #ARGV do
  redis.call('DEL', ARGV[i] .. ARGV[1])
end
redis.call('PUBLISH', ARGV[2], 'gone ' .. ARGV[1])
return 1
