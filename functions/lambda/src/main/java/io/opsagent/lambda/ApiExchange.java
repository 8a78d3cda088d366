package io.opsagent.lambda;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpPrincipal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/**
 * One HTTP request held in memory, answered into memory: what the API function hands to the HTTP application for
 * each API Gateway event, so the same routes answer in Lambda and locally. Not thread-safe (one request).
 */
final class ApiExchange extends HttpExchange {
    private final String method;
    private final URI uri;
    private final Headers requestHeaders;
    private final Headers responseHeaders = new Headers();
    private final InetSocketAddress remote;
    private final Map<String, Object> attributes = new HashMap<>();
    private InputStream in;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private OutputStream out = body;
    private int status = -1;

    ApiExchange(String method, URI uri, Headers requestHeaders, byte[] requestBody, InetSocketAddress remote) {
        this.method = method;
        this.uri = uri;
        this.requestHeaders = requestHeaders;
        this.in = new ByteArrayInputStream(requestBody);
        this.remote = remote;
    }

    /** The status sent, or -1 if the handler sent none. */
    @Override
    public int getResponseCode() {
        return status;
    }

    /** The response body written so far. */
    byte[] responseBody() {
        return body.toByteArray();
    }

    @Override
    public Headers getRequestHeaders() {
        return requestHeaders;
    }

    @Override
    public Headers getResponseHeaders() {
        return responseHeaders;
    }

    @Override
    public URI getRequestURI() {
        return uri;
    }

    @Override
    public String getRequestMethod() {
        return method;
    }

    @Override
    public HttpContext getHttpContext() {
        return null; // no server: nothing in the application reads it
    }

    @Override
    public void close() {
        // in memory: nothing to release; the body stays readable
    }

    @Override
    public InputStream getRequestBody() {
        return in;
    }

    @Override
    public OutputStream getResponseBody() {
        return out;
    }

    @Override
    public void sendResponseHeaders(int code, long length) {
        if (status != -1) throw new IllegalStateException("response headers already sent");
        status = code;
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return remote;
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return InetSocketAddress.createUnresolved("lambda", 443);
    }

    @Override
    public String getProtocol() {
        return "HTTP/1.1";
    }

    @Override
    public Object getAttribute(String name) {
        return attributes.get(name);
    }

    @Override
    public void setAttribute(String name, Object value) {
        if (value == null) attributes.remove(name);
        else attributes.put(name, value);
    }

    @Override
    public void setStreams(InputStream i, OutputStream o) {
        if (i != null) in = i;
        if (o != null) out = o;
    }

    @Override
    public HttpPrincipal getPrincipal() {
        return null;
    }
}
