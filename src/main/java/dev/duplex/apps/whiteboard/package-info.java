/** {@code /whiteboard}: shared boards with bounded history, undo and clear, each board under its own lock. */
package dev.duplex.apps.whiteboard;
