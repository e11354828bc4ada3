/** {@code /location}: live positions shared within groups, with coalesced broadcasts. */
package dev.duplex.apps.location;
