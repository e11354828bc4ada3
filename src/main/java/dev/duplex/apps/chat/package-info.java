/** {@code /chat}: names, the lobby, typing, private messages, online users and chat rooms, as plain rules. */
package dev.duplex.apps.chat;
