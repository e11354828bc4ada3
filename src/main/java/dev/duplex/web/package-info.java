/**
 * The Jakarta WebSocket edge: one thin {@code @ServerEndpoint} per namespace, the handshake guard, the
 * servlet listener that boots the runtime inside a WAR, and the portable transport over a session's
 * asynchronous remote. The only package besides {@code standalone} that imports {@code jakarta.websocket}.
 */
package dev.duplex.web;
