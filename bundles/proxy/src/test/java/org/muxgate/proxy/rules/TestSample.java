package org.muxgate.proxy.rules;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** A request for tests: a method, a path, headers and a source, handed to matchers as HAProxy splits them. */
public final class TestSample implements HttpSample {

    private final String method;
    private final String path;
    private final List<String[]> headers = new ArrayList<>();
    private InetAddress source;

    public TestSample(String method, String path) {
        this.method = method;
        this.path = path;
        from("192.0.2.1");
    }

    /** Adds a header line, as received (any case, comma-separated values). */
    public TestSample header(String name, String value) {
        headers.add(new String[] {name, value});
        return this;
    }

    public TestSample from(String address) {
        try {
            source = InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
        return this;
    }

    @Override
    public boolean matchMethod(ValueMatcher matcher) {
        return matcher.matches(method);
    }

    @Override
    public boolean matchPath(ValueMatcher matcher) {
        return matcher.matches(path);
    }

    @Override
    public boolean matchHeader(String lowercaseName, ValueMatcher matcher) {
        for (String[] header : headers) {
            if (header[0].toLowerCase(Locale.ROOT).equals(lowercaseName)) {
                for (String value : header[1].split(",", -1)) {
                    if (matcher.matches(value.strip())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @Override
    public InetAddress source() {
        return source;
    }
}
