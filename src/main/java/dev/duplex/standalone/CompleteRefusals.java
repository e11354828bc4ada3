package dev.duplex.standalone;

import java.io.IOException;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.HttpServerFilter;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;

/**
 * Tyrus' Grizzly filter answers a refused upgrade (HTTP 403 from {@code checkOrigin}) with headers only and
 * never ends the response, so clients that wait for the body hang. This filter, between the HTTP codec and
 * Tyrus, ends such a response with an empty body and closes the connection.
 */
final class CompleteRefusals extends BaseFilter implements AddOn {
    @Override
    public void setup(NetworkListener listener, FilterChainBuilder chain) {
        chain.add(chain.indexOfType(HttpServerFilter.class) + 1, this);
    }

    @Override
    public NextAction handleWrite(FilterChainContext ctx) throws IOException {
        if (ctx.getMessage() instanceof HttpContent content && !content.isLast() && !content.getContent().hasRemaining()
                && content.getHttpHeader() instanceof HttpResponsePacket response
                && response.getRequest().isUpgrade() && response.getStatus() >= 400) {
            response.setContentLength(0);
            response.getHeaders().setValue("Connection").setString("close");
            ctx.setMessage(HttpContent.builder(response).last(true).build());
        }
        return ctx.getInvokeAction();
    }
}
