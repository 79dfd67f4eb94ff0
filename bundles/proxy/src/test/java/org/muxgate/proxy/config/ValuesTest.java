package org.muxgate.proxy.config;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.time.Duration;

import org.junit.Test;

public class ValuesTest {

    private static Duration time(String text) throws ConfigArgException {
        return Values.time(text, "'timeout connect'");
    }

    private static String timeError(String text) {
        return assertThrows(ConfigArgException.class, () -> time(text)).getMessage();
    }

    private static String integerError(String text) {
        return assertThrows(ConfigArgException.class, () -> Values.integer(text, "weight", 0, 256)).getMessage();
    }

    @Test
    public void integersWithinBounds() throws Exception {
        assertEquals(0, Values.integer("0", "weight", 0, 256));
        assertEquals(256, Values.integer("256", "weight", 0, 256));
        assertEquals(7, Values.integer("007", "weight", 0, 256));
        assertEquals(Integer.MAX_VALUE, Values.integer("2147483647", "maxconn", 0, Integer.MAX_VALUE));
    }

    @Test
    public void integersOutOfBoundsOrMalformed() {
        String expected = " (expected an integer between 0 and 256)";
        assertEquals("invalid weight '257'" + expected, integerError("257"));
        assertEquals("invalid weight '-1'" + expected, integerError("-1"));
        assertEquals("invalid weight '+1'" + expected, integerError("+1"));
        assertEquals("invalid weight '10k'" + expected, integerError("10k"));
        assertEquals("invalid weight ''" + expected, integerError(""));
        assertEquals("invalid weight '99999999999999999999'" + expected, integerError("99999999999999999999"));
    }

    @Test
    public void timesTakeHaproxyUnits() throws Exception {
        assertEquals(Duration.ofMillis(1500), time("1500"));
        assertEquals(Duration.ofMillis(1500), time("1500ms"));
        assertEquals(Duration.ofSeconds(5), time("5s"));
        assertEquals(Duration.ofMinutes(2), time("2m"));
        assertEquals(Duration.ofHours(3), time("3h"));
        assertEquals(Duration.ofDays(24), time("24d"));
        assertEquals(Duration.ZERO, time("0"));
    }

    @Test
    public void microsecondsRoundUpToTheMillisecond() throws Exception {
        assertEquals(Duration.ofMillis(1), time("1us"));
        assertEquals(Duration.ofMillis(2), time("1001us"));
        assertEquals(Duration.ofMillis(1), time("1000us"));
    }

    @Test
    public void timesFitHaproxysSignedMilliseconds() throws Exception {
        assertEquals(Duration.ofMillis(Integer.MAX_VALUE), time("2147483647"));
        String overflow = " for 'timeout connect' (maximum value is 2147483647 ms or ~24.8 days)";
        assertEquals("time overflow in '2147483648'" + overflow, timeError("2147483648"));
        assertEquals("time overflow in '25d'" + overflow, timeError("25d"));
        assertEquals("time overflow in '99999999999999999999999h'" + overflow, timeError("99999999999999999999999h"));
        assertEquals("time overflow in '9223372036854775807d'" + overflow, timeError("9223372036854775807d"));
    }

    @Test
    public void timesWithJunkAreRejected() {
        String expected = " for 'timeout connect' (expected a number with an optional unit: us, ms, s, m, h, d)";
        assertEquals("invalid time '10sec'" + expected, timeError("10sec"));
        assertEquals("invalid time '1.5s'" + expected, timeError("1.5s"));
        assertEquals("invalid time 's'" + expected, timeError("s"));
        assertEquals("invalid time '-1'" + expected, timeError("-1"));
        assertEquals("invalid time '10 s'" + expected, timeError("10 s"));
        assertEquals("invalid time '5S'" + expected, timeError("5S"));
    }

    @Test
    public void namesTakeHaproxysCharacters() throws Exception {
        assertEquals("app-1.eu_west:2", Values.name("app-1.eu_west:2", "backend name"));
        assertEquals("character '/' is not permitted in backend name 'a/b'",
                assertThrows(ConfigArgException.class, () -> Values.name("a/b", "backend name")).getMessage());
    }

    @Test
    public void tokensListTheChoicesWhenUnknown() throws Exception {
        assertEquals(Mode.HTTP, Values.token("http", "mode", Mode.values(), Mode::token));
        assertEquals("unknown mode 'health' (expected tcp, http)", assertThrows(ConfigArgException.class,
                () -> Values.token("health", "mode", Mode.values(), Mode::token)).getMessage());
    }

    @Test
    public void headerNamesAreLowerCaseTokens() throws Exception {
        assertEquals("x-forwarded-for", Values.headerName("X-Forwarded-For"));
        assertEquals("!#$%&'*+-.^_`|~09az", Values.headerName("!#$%&'*+-.^_`|~09AZ"));
        assertEquals("character ':' is not permitted in header name 'host:'", assertThrows(ConfigArgException.class,
                () -> Values.headerName("host:")).getMessage());
        assertEquals("character '\u00e9' is not permitted in method 'G\u00e9T'", assertThrows(ConfigArgException.class,
                () -> Values.httpToken("G\u00e9T", "method")).getMessage());
    }

    @Test
    public void literalValuesUnescapePercentAndRefuseLogFormat() throws Exception {
        assertEquals("100% of 50%", Values.literal("100%% of 50%%", "header value"));
        assertEquals("a\tb ~", Values.literal("a\tb ~", "header value"));
        for (String logFormat : new String[] {"%[src]", "%ci", "%{+Q}r", "%", "a%%%"}) {
            assertEquals("log-format expressions are not supported in header value '" + logFormat
                    + "' (write %% for a literal %)", assertThrows(ConfigArgException.class,
                            () -> Values.literal(logFormat, "header value")).getMessage());
        }
        assertEquals("character \\x0D is not permitted in header value 'a\rb' (printable ASCII only)",
                assertThrows(ConfigArgException.class, () -> Values.literal("a\rb", "header value")).getMessage());
        assertEquals("character \\x7F is not permitted in content type 'a\u007f' (printable ASCII only)",
                assertThrows(ConfigArgException.class, () -> Values.printable("a\u007f", "content type")).getMessage());
    }
}
