package org.muxgate.mux.h1;

import static org.junit.Assert.assertEquals;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.Test;
import org.muxgate.api.http.AsciiSequence;
import org.muxgate.api.http.HttpMessage;

/**
 * The parser on direct buffers (as the muxes give it) and on heads larger than
 * its first copy of the input, which {@link H1ParserTableTest} does not reach.
 */
public class H1ParserTest {

    private static final int BUFSIZE = 16384;

    @Test
    public void aHeadLargerThanTheFirstCopyIsParsedFromADirectBuffer() {
        // Values long enough for lines to straddle every copy step (1, 2, 4 KiB).
        StringBuilder head = new StringBuilder("GET /x HTTP/1.1\r\nhost: h\r\n");
        for (int i = 0; i < 9; i++) {
            head.append("x-").append(i).append(": ").append(Character.toString('a' + i).repeat(500 + i)).append("\r\n");
        }
        head.append("content-length: 3\r\n\r\nabc");
        for (int split : new int[] {0, 1023, 1024, 2047, 3000}) {
            String label = "split at " + split;
            H1Parser parser = new H1Parser(false);
            HttpMessage message = new HttpMessage(100);
            message.attach(ByteBuffer.allocateDirect(BUFSIZE));
            ByteBuffer in = ByteBuffer.allocateDirect(BUFSIZE);
            byte[] bytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
            in.put(bytes, 0, split).flip();
            if (split > 0) {
                assertEquals(label, H1Parser.NEED_INPUT, parser.parse(in, message));
            }
            in.compact().put(bytes, split, bytes.length - split).flip();
            assertEquals(label, H1Parser.ENDED, parser.parse(in, message));
            assertEquals(label, 0, in.remaining());
            AsciiSequence view = new AsciiSequence();
            assertEquals(label, 10, message.headerCount());
            for (int i = 0; i < 9; i++) {
                int at = message.findHeader("x-" + i, -1, view);
                assertEquals(label, Character.toString('a' + i).repeat(500 + i), message.value(at, view).toString());
            }
        }
    }
}
