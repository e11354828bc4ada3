-- A node's entries are gone: deleted, and the others told.
-- KEYS[1]: the node's entries (a hash). ARGV: channel, message.
redis.call('DEL', KEYS[1])
redis.call('PUBLISH', ARGV[1], ARGV[2])
return 1
