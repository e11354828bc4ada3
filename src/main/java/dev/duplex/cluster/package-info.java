/**
 * Many nodes as one, independent of how they meet: the {@link dev.duplex.cluster.Bus} a cluster publishes
 * on, the {@link dev.duplex.cluster.ClusterBroadcaster} that delivers every broadcast here and publishes it
 * once for the other nodes, the {@link dev.duplex.cluster.Envelope} it travels in, the
 * {@link dev.duplex.cluster.Channels} it travels on, and the {@link dev.duplex.cluster.Inbox} where what
 * arrives waits for its own thread and leaves in batches. Apps never see this package: they use the
 * {@code Topology} seam of the core.
 */
package dev.duplex.cluster;
