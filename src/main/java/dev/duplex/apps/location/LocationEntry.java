package dev.duplex.apps.location;

import dev.duplex.core.Journal;
import dev.duplex.core.SocketId;

/** One change to a location group, as its journal carries it: a member's position stored, or removed. */
sealed interface LocationEntry {
    record Put(LocationService.Entry entry) implements LocationEntry {
    }

    record Remove(SocketId id) implements LocationEntry {
    }

    /**
     * Entries as text between nodes, the username last so that it may hold anything:
     * {@code p <id> <lat> <lng> <timestamp> <username>} (numbers as Java writes them, which read back
     * exactly) and {@code r <id>}. Socket ids are URL-safe base64 and hold no space.
     */
    Journal.Format<LocationEntry> FORMAT = new Journal.Format<>() {
        @Override
        public String encode(LocationEntry entry) {
            if (entry instanceof Put put) {
                LocationService.Entry e = put.entry();
                return "p " + e.id().value() + " " + e.lat() + " " + e.lng() + " " + e.timestamp() + " " + e.username();
            }
            return "r " + ((Remove) entry).id().value();
        }

        @Override
        public LocationEntry decode(String text) {
            String[] parts = text.split(" ", 6);
            try {
                if (parts.length == 6 && parts[0].equals("p")) {
                    return new Put(new LocationService.Entry(new SocketId(parts[1]), Double.parseDouble(parts[2]),
                            Double.parseDouble(parts[3]), parts[5], Long.parseLong(parts[4])));
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("Not a location entry: bad number");
            }
            if (parts.length == 2 && parts[0].equals("r")) {
                return new Remove(new SocketId(parts[1]));
            }
            throw new IllegalArgumentException("Not a location entry");
        }
    };
}
