package org.muxgate.proxy.rules;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;

import org.junit.Test;

/** Each match method, with and without {@code -i}, compared character by character. */
public class PatternMatcherTest {

    private static PatternMatcher matcher(MatchMethod method, boolean ignoreCase, String... patterns) {
        return new PatternMatcher(method, ignoreCase, List.of(patterns));
    }

    @Test
    public void str() {
        PatternMatcher exact = matcher(MatchMethod.STR, false, "/login", "/logout");
        assertTrue(exact.matches("/login"));
        assertTrue(exact.matches("/logout"));
        assertFalse(exact.matches("/Login"));
        assertFalse(exact.matches("/login/"));
        assertFalse(exact.matches("/logi"));
        assertFalse(exact.matches(""));
        PatternMatcher anyCase = matcher(MatchMethod.STR, true, "/LogIn");
        assertTrue(anyCase.matches("/login"));
        assertTrue(anyCase.matches("/LOGIN"));
        assertFalse(anyCase.matches("/login2"));
    }

    @Test
    public void beg() {
        PatternMatcher begins = matcher(MatchMethod.BEG, false, "/api/");
        assertTrue(begins.matches("/api/"));
        assertTrue(begins.matches("/api/v1"));
        assertFalse(begins.matches("/api"));
        assertFalse(begins.matches("/API/v1"));
        assertFalse(begins.matches("/v1/api/"));
        assertTrue(matcher(MatchMethod.BEG, true, "/api/").matches("/API/v1"));
    }

    @Test
    public void end() {
        PatternMatcher ends = matcher(MatchMethod.END, false, ".jpg", ".png");
        assertTrue(ends.matches("/a/b.jpg"));
        assertTrue(ends.matches(".png"));
        assertFalse(ends.matches("/a/b.JPG"));
        assertFalse(ends.matches("jpg"));
        assertFalse(ends.matches("/a.jpg/x"));
        assertTrue(matcher(MatchMethod.END, true, ".jpg").matches("/a/b.JPG"));
    }

    @Test
    public void sub() {
        PatternMatcher contains = matcher(MatchMethod.SUB, false, "admin");
        assertTrue(contains.matches("admin"));
        assertTrue(contains.matches("/x/admin/y"));
        assertTrue(contains.matches("/superadministrator"));
        assertFalse(contains.matches("/Admin"));
        assertFalse(contains.matches("/adm/in"));
        assertFalse(contains.matches("adm"));
        assertTrue(matcher(MatchMethod.SUB, true, "ADMIN").matches("/x/Admin"));
    }

    @Test
    public void domMatchesBetweenDelimitersOrEnds() {
        PatternMatcher domain = matcher(MatchMethod.DOM, false, "example.com");
        assertTrue(domain.matches("example.com"));
        assertTrue(domain.matches("www.example.com"));
        assertTrue(domain.matches("www.example.com:8080"));
        assertTrue(domain.matches("http://example.com/path"));
        assertTrue(domain.matches("example.com?x"));
        assertTrue(domain.matches("a.example.com.b"));
        assertFalse(domain.matches("myexample.com"));
        assertFalse(domain.matches("example.community"));
        assertFalse(domain.matches("example-com"));
        assertFalse(domain.matches("www.EXAMPLE.com"));
        assertFalse(domain.matches("example.co"));
        // A later occurrence counts when the first is not delimited.
        assertTrue(domain.matches("myexample.com.example.com"));
    }

    @Test
    public void domIgnoresTheDelimitersAroundThePatternAndCanIgnoreCase() {
        PatternMatcher domain = matcher(MatchMethod.DOM, true, ".Example.COM.");
        assertTrue(domain.matches("www.example.com"));
        assertTrue(domain.matches("WWW.EXAMPLE.COM:443"));
        assertFalse(domain.matches("wwwexample.com"));
        PatternMatcher word = matcher(MatchMethod.DOM, false, "www");
        assertTrue(word.matches("www.example.com"));
        assertTrue(word.matches("/www/"));
        assertFalse(word.matches("wwwx.example.com"));
    }

    @Test
    public void foundMatchesAnyValueEvenEmpty() {
        PatternMatcher found = matcher(MatchMethod.FOUND, false);
        assertTrue(found.matches(""));
        assertTrue(found.matches("anything"));
    }

    @Test
    public void ignoreCaseFoldsOnlyAscii() {
        assertFalse(matcher(MatchMethod.STR, true, "é").matches("É"));
        assertTrue(matcher(MatchMethod.STR, true, "Z@[`").matches("z@[`"));
        assertFalse(matcher(MatchMethod.STR, true, "@").matches("`"));
    }

    @Test
    public void noPatternMatchesNothing() {
        assertFalse(matcher(MatchMethod.STR, false).matches(""));
    }

    @Test
    public void describesItself() {
        assertEquals("-m dom -i example.com", matcher(MatchMethod.DOM, true, ".EXAMPLE.com").toString());
    }
}
