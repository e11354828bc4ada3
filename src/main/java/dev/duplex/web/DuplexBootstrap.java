package dev.duplex.web;

import dev.duplex.Duplex;
import dev.duplex.core.DuplexConfig;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;
import jakarta.websocket.server.ServerContainer;
import java.lang.System.Logger.Level;
import java.lang.reflect.Method;

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
        checkClosesEverySecond(event.getServletContext().getAttribute(ServerContainer.class.getName()));
        LOG.log(Level.INFO, "Duplex started under {0}/ (namespaces /chat, /whiteboard, /game, /location)",
                event.getServletContext().getContextPath());
    }

    /**
     * Tomcat looks for sessions whose peer never answered their close frame only every 10 s (its container's
     * process period), so a dead peer's connection outlived its close timeout by up to that long. The setter
     * is Tomcat's own and found by name, so nothing else depends on Tomcat; other containers have no such
     * method and are left alone.
     */
    private static void checkClosesEverySecond(Object container) {
        if (container == null) {
            return;
        }
        try {
            Method setter = container.getClass().getMethod("setProcessPeriod", int.class);
            setter.invoke(container, 1);
            LOG.log(Level.DEBUG, "Closed sessions are checked every second ({0})", container.getClass().getName());
        } catch (NoSuchMethodException notTomcat) {
            // Not Tomcat: nothing to tune.
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.log(Level.WARNING, "Could not shorten the container's close check period: {0}", e.toString());
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        if (duplex != null) {
            duplex.shutdown();
            duplex.close();
        }
    }
}
