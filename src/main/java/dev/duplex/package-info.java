/**
 * The running application: {@link dev.duplex.Duplex} wires settings, the codec, the four namespaces, the
 * heartbeat and the runtime's threads together, once per deployment.
 */
package dev.duplex;
