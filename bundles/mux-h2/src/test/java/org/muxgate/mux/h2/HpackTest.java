package org.muxgate.mux.h2;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.Test;

/** HPACK against the examples of RFC 7541 Appendix C, round trips, and every decoding error. */
public class HpackTest {

    private static final int LIMIT = 16_384;

    private static ByteBuffer hex(String text) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(text.replace(" ", "")));
    }

    /** Decodes a block into "name: value" lines. */
    private static List<String> decode(HpackDecoder decoder, ByteBuffer block) throws HpackException {
        List<String> fields = new ArrayList<>();
        decoder.decode(block, (bytes, nameOffset, nameLength, valueOffset, valueLength) -> {
            byte[] name = new byte[nameLength];
            byte[] value = new byte[valueLength];
            bytes.get(nameOffset, name);
            bytes.get(valueOffset, value);
            fields.add(new String(name, StandardCharsets.ISO_8859_1) + ": " + new String(value,
                    StandardCharsets.ISO_8859_1));
        });
        return fields;
    }

    private static final List<String> FIRST = List.of(":method: GET", ":scheme: http", ":path: /",
            ":authority: www.example.com");
    private static final List<String> SECOND = List.of(":method: GET", ":scheme: http", ":path: /",
            ":authority: www.example.com", "cache-control: no-cache");
    private static final List<String> THIRD = List.of(":method: GET", ":scheme: https", ":path: /index.html",
            ":authority: www.example.com", "custom-key: custom-value");

    @Test
    public void rfc7541C3RequestsWithoutHuffman() throws HpackException {
        HpackDecoder decoder = new HpackDecoder(4096, LIMIT, 101);
        assertEquals(FIRST, decode(decoder, hex("828684410f7777772e6578616d706c652e636f6d")));
        assertEquals(57, decoder.table().size());
        assertEquals(SECOND, decode(decoder, hex("828684be58086e6f2d6361636865")));
        assertEquals(110, decoder.table().size());
        assertEquals(THIRD, decode(decoder, hex("828785bf400a637573746f6d2d6b65790c637573746f6d2d76616c7565")));
        assertEquals(164, decoder.table().size());
        assertEquals(3, decoder.table().count());
    }

    @Test
    public void rfc7541C4RequestsWithHuffman() throws HpackException {
        HpackDecoder decoder = new HpackDecoder(4096, LIMIT, 101);
        assertEquals(FIRST, decode(decoder, hex("828684418cf1e3c2e5f23a6ba0ab90f4ff")));
        assertEquals(SECOND, decode(decoder, hex("828684be5886a8eb10649cbf")));
        assertEquals(THIRD, decode(decoder, hex("828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf")));
        assertEquals(164, decoder.table().size());
    }

    @Test
    public void theEncoderWritesTheRfcsHuffmanRequests() {
        HpackEncoder encoder = new HpackEncoder(4096);
        String[][][] requests = {
            { { ":method", "GET" }, { ":scheme", "http" }, { ":path", "/" }, { ":authority", "www.example.com" } },
            { { ":method", "GET" }, { ":scheme", "http" }, { ":path", "/" }, { ":authority", "www.example.com" },
                { "cache-control", "no-cache" } },
            { { ":method", "GET" }, { ":scheme", "https" }, { ":path", "/index.html" },
                { ":authority", "www.example.com" }, { "custom-key", "custom-value" } } };
        String[] expected = { "828684418cf1e3c2e5f23a6ba0ab90f4ff", "828684be5886a8eb10649cbf",
            "828785bf408825a849e95ba97d7f8925a849e95bb8e8b4bf" };
        for (int i = 0; i < requests.length; i++) {
            ByteBuffer out = ByteBuffer.allocate(256);
            encoder.beginBlock(out);
            for (String[] field : requests[i]) {
                encoder.encodeHeader(field[0], field[1], false, out);
            }
            out.flip();
            assertEquals(expected[i], HexFormat.of().formatHex(out.array(), 0, out.limit()));
        }
    }

    @Test
    public void rfc7541C5ResponsesEvictInATableOf256() throws HpackException {
        HpackDecoder decoder = new HpackDecoder(256, LIMIT, 101);
        assertEquals(List.of(":status: 302", "cache-control: private", "date: Mon, 21 Oct 2013 20:13:21 GMT",
                "location: https://www.example.com"), decode(decoder, hex("4803333032580770726976617465611d"
                        + "4d6f6e2c203231204f637420323031332032303a31333a323120474d546e1768747470733a2f2f7777772e"
                        + "6578616d706c652e636f6d")));
        assertEquals(222, decoder.table().size());
        assertEquals(List.of(":status: 307", "cache-control: private", "date: Mon, 21 Oct 2013 20:13:21 GMT",
                "location: https://www.example.com"), decode(decoder, hex("4803333037c1c0bf")));
        assertEquals(222, decoder.table().size());
        assertEquals(List.of(":status: 200", "cache-control: private", "date: Mon, 21 Oct 2013 20:13:22 GMT",
                "location: https://www.example.com", "content-encoding: gzip",
                "set-cookie: foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"),
                decode(decoder, hex("88c1611d4d6f6e2c203231204f637420323031332032303a31333a323220474d54c05a04677a"
                        + "69707738666f6f3d4153444a4b48514b425a584f5157454f50495541585157454f49553b206d61782d6167"
                        + "653d333630303b2076657273696f6e3d31")));
        assertEquals(215, decoder.table().size());
    }

    @Test
    public void randomHeaderListsRoundTripThroughASmallTable() throws HpackException {
        SplittableRandom random = new SplittableRandom(7);
        HpackEncoder encoder = new HpackEncoder(4096);
        encoder.setMaxTableSize(300);
        HpackDecoder decoder = new HpackDecoder(4096, LIMIT, 101);
        for (int block = 0; block < 500; block++) {
            List<String> fields = new ArrayList<>();
            ByteBuffer out = ByteBuffer.allocate(8192);
            encoder.beginBlock(out);
            for (int i = 0; i < 1 + random.nextInt(12); i++) {
                String name = "x-h" + random.nextInt(20);
                StringBuilder value = new StringBuilder();
                for (int c = random.nextInt(60); c > 0; c--) {
                    value.append((char) (32 + random.nextInt(95)));
                }
                if (random.nextInt(10) == 0) {
                    value.append((char) (128 + random.nextInt(128)));
                }
                encoder.encodeHeader(name, value, random.nextInt(20) == 0, out);
                fields.add(name + ": " + value);
            }
            out.flip();
            assertEquals(fields, decode(decoder, out));
            assertEquals(encoder.table().size(), decoder.table().size());
        }
    }

    @Test
    public void everyByteRoundTripsThroughHuffman() throws HpackException {
        StringBuilder all = new StringBuilder();
        for (int c = 0; c < 256; c++) {
            all.append((char) c);
        }
        ByteBuffer out = ByteBuffer.allocate(1024);
        Huffman.encode(all, out);
        assertEquals(Huffman.encodedLength(all), out.position());
        ByteBuffer decoded = ByteBuffer.allocate(256);
        assertTrue(Huffman.decode(out, 0, out.position(), decoded));
        byte[] expected = new byte[256];
        for (int c = 0; c < 256; c++) {
            expected[c] = (byte) c;
        }
        assertArrayEquals(expected, decoded.array());
    }

    @Test
    public void invalidHuffmanPaddingAndEosAreRejected() {
        ByteBuffer out = ByteBuffer.allocate(64);
        // 'a' is 00011 (5 bits): padded with 000 instead of ones.
        assertThrows(HpackException.class, () -> Huffman.decode(hex("18"), 0, 1, out));
        // 'a' then a whole byte of ones: padding longer than 7 bits.
        assertThrows(HpackException.class, () -> Huffman.decode(hex("1fff"), 0, 2, out));
        // EOS, 30 ones, inside the string.
        assertThrows(HpackException.class, () -> Huffman.decode(hex("ffffffff"), 0, 4, out));
    }

    @Test
    public void decodingErrorsAreCompressionErrors() {
        String[][] cases = {
            { "80", "index 0" },
            { "be", "index 62 beyond the tables" },
            { "3fe21f", "table size update to 4097 above 4096" },
            { "8220", "misplaced dynamic table size update" },
            { "202020", "misplaced dynamic table size update" },
            { "1fffffffff0f", "integer overflow" },
            { "1fff", "truncated integer" },
            { "000a61", "string beyond the block" },
            { "00", "truncated string" },
        };
        for (String[] c : cases) {
            HpackDecoder decoder = new HpackDecoder(4096, LIMIT, 101);
            HpackException e = assertThrows(c[0], HpackException.class, () -> decode(decoder, hex(c[0])));
            assertEquals(c[0], c[1], e.getMessage());
            assertFalse(e.headerListTooLarge());
        }
    }

    @Test
    public void anHpackBombStopsAtTheLimitsAndKeepsTheTableInStep() throws HpackException {
        HpackDecoder decoder = new HpackDecoder(4096, LIMIT, 101);
        ByteBuffer block = ByteBuffer.allocate(8192);
        block.put((byte) 0x40).put((byte) 5).put("x-big".getBytes(StandardCharsets.ISO_8859_1));
        HpackEncoder.writeInteger(block, 0x00, 7, 4000);
        block.put("v".repeat(4000).getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < 1000; i++) {
            block.put((byte) (0x80 | 62));
        }
        block.flip();
        int[] seen = new int[1];
        HpackException e = assertThrows(HpackException.class, () -> decoder.decode(block,
                (bytes, nameOffset, nameLength, valueOffset, valueLength) -> seen[0] += nameLength + valueLength));
        assertTrue(e.headerListTooLarge());
        assertTrue("the sink saw " + seen[0] + " bytes", seen[0] <= LIMIT);
        assertEquals(1, decoder.table().count());
        assertEquals(List.of("x-big: " + "v".repeat(4000)), decode(decoder, hex("be")));
    }

    @Test
    public void moreFieldsThanMaxhdrIsTooLarge() {
        HpackDecoder decoder = new HpackDecoder(4096, LIMIT, 3);
        HpackException e = assertThrows(HpackException.class, () -> decode(decoder, hex("82868482")));
        assertTrue(e.headerListTooLarge());
    }
}
