package dev.duplex.testing;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client written frame by frame, for what a polite client never does: stay silent to pings,
 * send malformed frames, or watch the raw frames the server sends.
 */
public final class RawSocket implements AutoCloseable {
    /** One frame as read from the wire. */
    public record Frame(int opcode, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** The status code of a close frame. */
        public int closeCode() {
            return ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        }
    }

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Upgrades {@code path} and returns the socket; fails unless the server answers 101. */
    public static RawSocket connect(int port, String path) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        return upgrade(socket, "127.0.0.1:" + port, path);
    }

    /**
     * Upgrades the path and query of a {@code ws://} URI (any host, any context path) and returns the socket;
     * fails unless the server answers 101. Nagle is off, so each write leaves in its own TCP segment.
     */
    public static RawSocket connect(URI ws) throws IOException {
        return connectFrom(null, ws);
    }

    /**
     * {@link #connect(URI)} from a chosen local address, such as another loopback address (127.0.0.0/8), so
     * that the server counts this connection for that address and not for 127.0.0.1; {@code null} for any.
     */
    public static RawSocket connectFrom(InetAddress local, URI ws) throws IOException {
        int port = ws.getPort() == -1 ? 80 : ws.getPort();
        Socket socket = new Socket(InetAddress.getByName(ws.getHost()), port, local, 0);
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        String path = ws.getRawPath() + (ws.getRawQuery() == null ? "" : "?" + ws.getRawQuery());
        return upgrade(socket, ws.getHost() + ":" + port, path);
    }

    /**
     * Sends an upgrade request for a {@code ws://} URI with extra headers and returns the server's whole
     * response head (status line and headers), then closes: for what the handshake itself answers.
     */
    public static String handshake(URI ws, Map<String, String> headers) throws IOException {
        return handshake(ws, headers, null);
    }

    /** {@link #handshake(URI, Map)} from a chosen local address, as for {@link #connectFrom}. */
    public static String handshake(URI ws, Map<String, String> headers, InetAddress local) throws IOException {
        int port = ws.getPort() == -1 ? 80 : ws.getPort();
        try (Socket socket = new Socket(InetAddress.getByName(ws.getHost()), port, local, 0)) {
            socket.setSoTimeout(10_000);
            RawSocket raw = new RawSocket(socket);
            String path = ws.getRawPath() + (ws.getRawQuery() == null ? "" : "?" + ws.getRawQuery());
            StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + ws.getHost() + ":" + port
                    + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
                    + Base64.getEncoder().encodeToString(new byte[16]) + "\r\nSec-WebSocket-Version: 13\r\n");
            headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
            raw.out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                head.append((char) raw.in.readUnsignedByte());
            }
            return head.toString();
        }
    }

    /**
     * Repeats {@link #handshake(URI, Map, InetAddress)} from {@code local} while it is upgraded, for at most
     * {@code timeout}, and returns the first refusal's head (or the last upgrade's): for a refusal the server
     * starts a moment after what caused it, such as a close it still has to handle.
     */
    public static String handshakeUntilRefused(URI ws, InetAddress local, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String head = handshake(ws, Map.of(), local);
        while (head.startsWith("HTTP/1.1 101") && System.nanoTime() < deadline) {
            Thread.sleep(50);
            head = handshake(ws, Map.of(), local);
        }
        return head;
    }

    private static RawSocket upgrade(Socket socket, String host, String path) throws IOException {
        RawSocket raw = new RawSocket(socket);
        String key = Base64.getEncoder().encodeToString(new byte[16]);
        raw.out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        String status = raw.readHeaders();
        if (!status.contains(" 101 ")) {
            socket.close();
            throw new IOException("upgrade refused: " + status);
        }
        return raw;
    }

    private String readHeaders() throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            head.append((char) in.readUnsignedByte());
        }
        return head.substring(0, head.indexOf("\r\n"));
    }

    /** Sends one masked frame as a client must. */
    public void sendFrame(int opcode, boolean fin, byte[] payload) throws IOException {
        byte[] mask = new byte[4];
        ThreadLocalRandom.current().nextBytes(mask);
        out.write((fin ? 0x80 : 0) | opcode);
        if (payload.length < 126) {
            out.write(0x80 | payload.length);
        } else if (payload.length < 65536) {
            out.write(0x80 | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length);
        } else {
            out.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) payload.length >>> shift));
            }
        }
        out.write(mask);
        byte[] masked = new byte[payload.length];
        for (int i = 0; i < payload.length; i++) {
            masked[i] = (byte) (payload[i] ^ mask[i & 3]);
        }
        out.write(masked);
        out.flush();
    }

    public void sendText(String text) throws IOException {
        sendFrame(0x1, true, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads the next frame; fails on timeout. */
    public Frame read() throws IOException {
        int first = in.readUnsignedByte();
        int second = in.readUnsignedByte();
        long length = second & 0x7F;
        if (length == 126) {
            length = in.readUnsignedShort();
        } else if (length == 127) {
            length = in.readLong();
        }
        byte[] payload = new byte[(int) length];
        in.readFully(payload);
        return new Frame(first & 0x0F, payload);
    }

    /**
     * Reads frames until a close frame, returning its code; pings and text on the way are skipped, and named
     * in the exception if the socket's read timeout passes first.
     */
    public int readUntilClose() throws IOException {
        List<String> skipped = new ArrayList<>();
        while (true) {
            Frame frame;
            try {
                frame = read();
            } catch (SocketTimeoutException e) {
                SocketTimeoutException named = new SocketTimeoutException("no close frame, after " + skipped);
                named.initCause(e);
                throw named;
            }
            if (frame.opcode() == ClientFrame.CLOSE) {
                return frame.closeCode();
            }
            skipped.add(frame.opcode() == ClientFrame.TEXT ? frame.text() : "opcode " + frame.opcode());
        }
    }

    /** Writes the bytes as they are, in one write: several frames, or a frame no client should send. */
    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Writes the frames back to back in one write. */
    public void send(ClientFrame... frames) throws IOException {
        write(ClientFrame.concat(frames));
    }

    /**
     * Writes the bytes in pieces of {@code pieceSize}, pausing between pieces so the server reads them one by
     * one (with {@link #connect(URI)}, Nagle is off and each piece is its own segment). Bounded by the number
     * of pieces.
     */
    public void writeInPieces(byte[] bytes, int pieceSize, Duration pause) throws IOException {
        for (int from = 0; from < bytes.length; from += pieceSize) {
            out.write(bytes, from, Math.min(pieceSize, bytes.length - from));
            out.flush();
            try {
                Thread.sleep(pause.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted between pieces");
            }
        }
    }

    /** Reads the next frame, waiting at most {@code timeout}; throws {@link SocketTimeoutException} past it. */
    public Frame read(Duration timeout) throws IOException {
        int previous = socket.getSoTimeout();
        socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
        try {
            return read();
        } finally {
            socket.setSoTimeout(previous);
        }
    }

    /** How the server left the connection, as seen by {@link #awaitEnd}. */
    public enum Ending {
        /** The server closed its side: a read returned -1. */
        EOF,
        /** The server reset the connection (it closed with unread data, or aborted). */
        RESET,
        /** The connection was still open at the deadline. */
        STILL_OPEN
    }

    /** Reads and discards whatever comes until the server ends the TCP connection or {@code timeout} passes. */
    public Ending awaitEnd(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        byte[] sink = new byte[8192];
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                return Ending.STILL_OPEN;
            }
            socket.setSoTimeout((int) left);
            try {
                if (in.read(sink) == -1) {
                    return Ending.EOF;
                }
            } catch (SocketTimeoutException e) {
                return Ending.STILL_OPEN;
            } catch (SocketException e) {
                return Ending.RESET;
            }
        }
    }

    /** The underlying socket, for writing past the frame API (a stream of bytes that never ends, say). */
    public Socket socket() {
        return socket;
    }

    /** The client's own port, by which {@link TcpTable} finds the connection. */
    public int localPort() {
        return socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
