/**
 * The cluster over Redis, with Lettuce: the one client and its connections ({@code RedisBus}), presence kept
 * in every node's memory and in Redis ({@code RedisPresence}, Lua scripts beside it), journaled shared
 * state such as boards ({@code RedisJournal}: a numbered log and a snapshot per stream), node heartbeats
 * and resynchronisation after trouble ({@code NodeLiveness}), and the topology that joins them
 * ({@link dev.duplex.cluster.redis.RedisTopology}). The only package that knows Redis.
 */
package dev.duplex.cluster.redis;
