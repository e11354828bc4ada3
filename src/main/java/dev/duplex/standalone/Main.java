package dev.duplex.standalone;

import dev.duplex.core.DuplexConfig;
import java.lang.System.Logger.Level;
import java.util.concurrent.CountDownLatch;

/** {@code java -jar duplex-standalone.jar [--port N] [--host H]}: runs until SIGTERM or Ctrl-C. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL %4$s %3$s: %5$s%6$s%n");
        }
        System.Logger log = System.getLogger(Main.class.getName());
        DuplexConfig config;
        try {
            config = withArguments(DuplexConfig.load(), args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: java -jar duplex-standalone.jar [--port N] [--host ADDRESS]");
            System.exit(2);
            return;
        }
        StandaloneServer server = StandaloneServer.start(config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.log(Level.INFO, "Shutting down: closing connections with 1001");
            server.close();
            stopped.countDown();
        }, "duplex-shutdown"));
        log.log(Level.INFO, "Duplex listening on http://{0}:{1,number,#}/ (namespaces /chat, /whiteboard, /game, /location)",
                config.string("duplex.host"), server.port());
        stopped.await();
    }

    static DuplexConfig withArguments(DuplexConfig config, String[] args) {
        for (int i = 0; i < args.length; i++) {
            String key = switch (args[i]) {
                case "--port" -> "duplex.port";
                case "--host" -> "duplex.host";
                default -> throw new IllegalArgumentException("Unknown argument " + args[i]);
            };
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(args[i] + " needs a value");
            }
            config = config.with(key, args[++i]);
        }
        config.integer("duplex.port");
        return config;
    }
}
