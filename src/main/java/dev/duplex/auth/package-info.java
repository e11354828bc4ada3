/** Authentication of upgrades: JWT verification with nimbus-jose-jwt. */
package dev.duplex.auth;
