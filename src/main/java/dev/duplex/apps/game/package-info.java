/** {@code /game}: tic-tac-toe matchmaking and games; {@link dev.duplex.apps.game.TicTacToe} is a pure state machine. */
package dev.duplex.apps.game;
