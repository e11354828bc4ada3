/**
 * {@code /whiteboard}: shared boards with bounded history, undo and clear. Every change is an entry of the
 * board's journal, applied under the board's own lock by the same rules on every node that holds the board.
 */
package dev.duplex.apps.whiteboard;
