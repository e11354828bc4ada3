/**
 * {@code /game}: tic-tac-toe matchmaking and games, changed only through the namespace's journal
 * ({@link dev.duplex.apps.game.GameService} checks and appends, {@code GameRules} applies);
 * {@link dev.duplex.apps.game.TicTacToe} is a pure state machine.
 */
package dev.duplex.apps.game;
