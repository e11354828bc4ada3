package dev.duplex.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.duplex.testing.ClusterNodes;
import dev.duplex.testing.WsClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The shipped {@code server-config/cluster/nginx.conf}, with only its ports changed, in front of three nodes:
 * connections are spread over the nodes with no stickiness, the WebSocket upgrade and the browser's
 * same-origin check pass through, pages are served, and the people on different nodes are one chat.
 */
class ClusterProxyIT {
    private static final Path CONFIG = Path.of("server-config", "cluster", "nginx.conf");

    @Test
    void theShippedNginxConfigurationSpreadsOneChatOverThreeNodes() throws Exception {
        try (ClusterNodes cluster = ClusterNodes.start(3)) {
            int port = freePort();
            Path prefix = Files.createTempDirectory("duplex-nginx");
            Files.createDirectories(prefix.resolve("logs"));
            String config = Files.readString(CONFIG)
                    .replace("listen 127.0.0.1:8080;", "listen 127.0.0.1:" + port + ";");
            for (int i = 0; i < 3; i++) {
                config = config.replace("127.0.0.1:808" + (i + 1) + " ", "127.0.0.1:" + cluster.node(i).port() + " ");
            }
            Path rendered = prefix.resolve("nginx.conf");
            Files.writeString(rendered, config);
            Process nginx = new ProcessBuilder("nginx", "-p", prefix.toString(), "-c", rendered.toString(),
                    "-g", "daemon off;").redirectErrorStream(true).redirectOutput(prefix.resolve("out.log").toFile()).start();
            List<WsClient> clients = new ArrayList<>();
            try {
                awaitListening(port);
                String origin = "http://127.0.0.1:" + port;
                HttpResponse<String> page = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create(origin + "/chat.html")).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, page.statusCode());

                Set<String> nodes = new HashSet<>();
                for (int i = 0; i < 6; i++) {
                    WsClient client = WsClient.open(URI.create("ws://127.0.0.1:" + port + "/chat"), Map.of("Origin", origin));
                    clients.add(client);
                    // Socket ids begin with their node's tag.
                    nodes.add(client.expect("connected").asJsonObject().getString("id").substring(0, 8));
                    client.joinChat("user" + i);
                }
                assertEquals(3, nodes.size(), "round robin: six connections on all three nodes");
                WsClient last = clients.get(clients.size() - 1);
                last.emit("send-message", "\"through nginx\"");
                for (WsClient client : clients.subList(0, clients.size() - 1)) {
                    assertEquals("through nginx", client.expectWhere("receive-message", m -> true).getString("message"));
                }
            } finally {
                clients.forEach(WsClient::close);
                nginx.destroy();
                assertTrue(nginx.waitFor(10, TimeUnit.SECONDS));
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static void awaitListening(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                assertTrue(System.nanoTime() < deadline, "nginx did not start: is it installed (apt-get install nginx)?");
                Thread.sleep(100);
            }
        }
    }
}
