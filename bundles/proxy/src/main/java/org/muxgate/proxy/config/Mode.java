package org.muxgate.proxy.config;

/** A proxy's mode, HAProxy's {@code mode} keyword. */
public enum Mode {
    /** Forward bytes, no protocol analysis. */
    TCP("tcp"),
    /** Parse HTTP messages. */
    HTTP("http");

    private final String token;

    Mode(String token) {
        this.token = token;
    }

    /** The word used in the configuration file. */
    public String token() {
        return token;
    }
}
