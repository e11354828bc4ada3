package dev.duplex.web;

import dev.duplex.Duplex;
import dev.duplex.core.DuplexConfig;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import java.lang.System.Logger.Level;

/**
 * Inside a servlet container: starts the Duplex runtime when the WAR is deployed and releases it on
 * undeploy, after closing every connection with 1001. The container finds the endpoints by scanning.
 */
@WebListener
public final class DuplexBootstrap implements ServletContextListener {
    private static final System.Logger LOG = System.getLogger(DuplexBootstrap.class.getName());
    private Duplex duplex;

    @Override
    public void contextInitialized(ServletContextEvent event) {
        duplex = Duplex.start(DuplexConfig.load());
        LOG.log(Level.INFO, "Duplex started under {0}/ (namespaces /chat, /whiteboard, /game, /location)",
                event.getServletContext().getContextPath());
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (duplex != null) {
            duplex.shutdown();
            duplex.close();
        }
    }
}
