package org.muxgate.itests.felix;

import static org.junit.Assert.assertEquals;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * HTTP/2 traffic through Muxgate's bundles in an embedded Felix: a {@code bind ...
 * proto h2} frontend served by the h2 mux bundle, found through the registry's
 * whiteboard, and an HTTP/1.1 backend in the test. The client speaks h2c with prior
 * knowledge, frame by frame, several streams on one connection.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class H2ProxyFelixIT {

    private static final String[] MUXGATE_BUNDLES = {
        "muxgate-api",
        "muxgate-scheduler",
        "muxgate-transport",
        "muxgate-mux-pt",
        "muxgate-mux-h1",
        "muxgate-mux-h2",
        "muxgate-proxy",
    };

    private static final int TIMEOUT_MILLIS = 60_000;
    private static final String BODY = "hello over h2";
    private static final int HEADERS = 1;
    private static final int DATA = 0;

    private LoopbackBackend backend;

    @Configuration
    public Option[] configuration() throws IOException {
        return FelixRuntime.proxyTestWithBind(TIMEOUT_MILLIS, MUXGATE_BUNDLES, "proto h2",
                "mode http",
                "timeout connect 10s",
                "timeout client 1m",
                "timeout server 1m");
    }

    @Before
    public void startBackend() throws IOException {
        backend = LoopbackBackend.start(socket -> {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            byte[] body = BODY.getBytes(StandardCharsets.US_ASCII);
            while (skipHead(in)) {
                out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            }
        });
    }

    @After
    public void stopBackend() throws IOException {
        backend.close();
    }

    /** @return false if the stream ended before a head */
    private static boolean skipHead(InputStream in) throws IOException {
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return false;
            }
            matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return true;
    }

    private static void frame(OutputStream out, int type, int flags, int stream, byte[] payload) throws IOException {
        ByteBuffer header = ByteBuffer.allocate(9);
        header.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length)
                .put((byte) type).put((byte) flags).putInt(stream);
        out.write(header.array());
        out.write(payload);
    }

    /** GET /path: :method GET and :scheme http indexed, :path and :authority as literals. */
    private static byte[] get(String path) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.write(0x82);
        block.write(0x86);
        for (String[] field : new String[][] { { ":path", path }, { ":authority", "itest" } }) {
            block.write(0);
            block.write(field[0].length());
            block.writeBytes(field[0].getBytes(StandardCharsets.US_ASCII));
            block.write(field[1].length());
            block.writeBytes(field[1].getBytes(StandardCharsets.US_ASCII));
        }
        return block.toByteArray();
    }

    /** Sends three requests on one connection and returns the :status byte and body of each stream. */
    private String exchange() throws IOException {
        InetSocketAddress frontend = new InetSocketAddress(InetAddress.getLoopbackAddress(),
                Integer.getInteger("itest.frontend.port"));
        try (Socket socket = new Socket()) {
            socket.connect(frontend, TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            frame(out, 4, 0, 0, new byte[0]);
            for (int stream = 1; stream <= 5; stream += 2) {
                frame(out, HEADERS, 0x5, stream, get("/s" + stream));
            }
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            String[] results = new String[3];
            int ended = 0;
            while (ended < 3) {
                byte[] header = new byte[9];
                in.readFully(header);
                ByteBuffer b = ByteBuffer.wrap(header);
                int length = (b.get() & 0xff) << 16 | (b.get() & 0xff) << 8 | (b.get() & 0xff);
                int type = b.get() & 0xff;
                int flags = b.get() & 0xff;
                int stream = b.getInt() & 0x7fffffff;
                byte[] payload = in.readNBytes(length);
                int index = (stream - 1) / 2;
                if (type == HEADERS) {
                    // :status 200 is the static table's index 8.
                    results[index] = (payload[0] & 0xff) == 0x88 ? "200 " : "status? ";
                } else if (type == DATA) {
                    results[index] += new String(payload, StandardCharsets.US_ASCII);
                }
                if ((type == HEADERS || type == DATA) && (flags & 1) != 0) {
                    ended++;
                }
            }
            return String.join(",", results);
        }
    }

    @Test
    public void threeStreamsOfOneH2cConnectionAreServedByAnHttp11Backend() throws Exception {
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        while (true) {
            try {
                assertEquals("200 " + BODY + ",200 " + BODY + ",200 " + BODY, exchange());
                return;
            } catch (IOException notYet) {
                // The proxy or the h2 mux bundle may not be there yet.
                if (System.currentTimeMillis() > deadline) {
                    throw notYet;
                }
                Thread.sleep(50);
            }
        }
    }
}
