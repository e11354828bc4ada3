/**
 * The standalone server: Tyrus on Grizzly on one port for pages and sockets, and its own data path (frames
 * written straight to the connection, upgraded reads straight to Tyrus). The only package that imports
 * Tyrus or Grizzly.
 */
package dev.duplex.standalone;
