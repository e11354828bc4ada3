package dev.duplex.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The machine's TCP sockets as the Linux kernel lists them ({@code /proc/net/tcp} and {@code tcp6}): lets a
 * test see whether a connection still exists on either end without reading from it (reading would let the
 * server's backlog drain and so change what is being tested).
 */
public final class TcpTable {
    /** One socket: its ports and its state as the kernel numbers it (1 established, 6 time-wait...). */
    public record Socket(int localPort, int remotePort, int state) {
        public boolean isTimeWait() {
            return state == 6;
        }
    }

    private TcpTable() {
    }

    /** Every socket, of any state, with {@code port} at one of its ends. */
    public static List<Socket> withPort(int port) {
        List<Socket> found = new ArrayList<>();
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            for (Socket socket : read(Path.of(table))) {
                if (socket.localPort() == port || socket.remotePort() == port) {
                    found.add(socket);
                }
            }
        }
        return found;
    }

    private static List<Socket> read(Path table) {
        List<String> lines;
        try {
            lines = Files.readAllLines(table);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + table + ": these tests need Linux", e);
        }
        List<Socket> sockets = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.trim().split("\\s+");
            sockets.add(new Socket(port(fields[1]), port(fields[2]), Integer.parseInt(fields[3], 16)));
        }
        return sockets;
    }

    private static int port(String address) {
        return Integer.parseInt(address.substring(address.indexOf(':') + 1), 16);
    }
}
