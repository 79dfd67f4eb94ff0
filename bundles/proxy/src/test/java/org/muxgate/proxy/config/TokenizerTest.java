package org.muxgate.proxy.config;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.util.List;
import java.util.Map;

import org.junit.Test;

public class TokenizerTest {

    private static final Map<String, String> ENV = Map.of(
            "HOST", "10.0.0.1",
            "EMPTY", "",
            "LIST", "a  b\tc",
            "WITH_SPACE", "x y");

    private static List<String> split(String line) throws ConfigArgException {
        return Tokenizer.split(line, ENV);
    }

    private static String error(String line) {
        return assertThrows(ConfigArgException.class, () -> split(line)).getMessage();
    }

    @Test
    public void blanksSeparateWords() throws Exception {
        assertEquals(List.of("server", "s1", "127.0.0.1:80"), split("  \tserver   s1\t127.0.0.1:80  "));
        assertEquals(List.of(), split(""));
        assertEquals(List.of(), split("   \t "));
    }

    @Test
    public void unquotedHashStartsCommentEvenInsideWord() throws Exception {
        assertEquals(List.of(), split("# a comment"));
        assertEquals(List.of("maxconn", "10"), split("maxconn 10 # a comment"));
        assertEquals(List.of("a"), split("a#b"));
        assertEquals(List.of("a#b", "c # d"), split("'a#b' \"c # d\""));
    }

    @Test
    public void carriageReturnEndsTheLine() throws Exception {
        assertEquals(List.of("mode", "tcp"), split("mode tcp\r"));
    }

    @Test
    public void backslashEscapes() throws Exception {
        assertEquals(List.of("a b"), split("a\\ b"));
        assertEquals(List.of("a#b"), split("a\\#b"));
        assertEquals(List.of("a\\b"), split("a\\\\b"));
        assertEquals(List.of("\"'"), split("\\\"\\'"));
        assertEquals(List.of("\t\n\r"), split("\\t\\n\\r"));
        assertEquals(List.of("AB"), split("\\x41\\x42"));
        assertEquals(List.of("\u00e9"), split("\\xe9"));
    }

    @Test
    public void otherBackslashesStay() throws Exception {
        assertEquals(List.of("^/(.*)\\1$"), split("^/(.*)\\1$"));
        assertEquals(List.of("end\\"), split("end\\"));
        assertEquals(List.of("\\$HOST"), split("\\$HOST"));
    }

    @Test
    public void singleQuotesAreLiteral() throws Exception {
        assertEquals(List.of("a b\\t$HOST \"x\""), split("'a b\\t$HOST \"x\"'"));
    }

    @Test
    public void doubleQuotesKeepBlanksAndEscapes() throws Exception {
        assertEquals(List.of("a b\tc", "it's"), split("\"a b\\tc\" \"it's\""));
        assertEquals(List.of("say \"hi\""), split("\"say \\\"hi\\\"\""));
    }

    @Test
    public void quotesMayStartAndStopMidWord() throws Exception {
        assertEquals(List.of("abc def", "x"), split("ab\"c d\"ef x"));
        assertEquals(List.of("it's"), split("it\"'\"s"));
    }

    @Test
    public void variablesExpandInDoubleQuotesOnly() throws Exception {
        assertEquals(List.of("10.0.0.1:80"), split("\"$HOST:80\""));
        assertEquals(List.of("10.0.0.1:80"), split("\"${HOST}:80\""));
        assertEquals(List.of("$HOST:80"), split("$HOST:80"));
        assertEquals(List.of("$HOST"), split("'$HOST'"));
        assertEquals(List.of("$HOST"), split("\"\\$HOST\""));
        assertEquals(List.of("x y"), split("\"$WITH_SPACE\""));
    }

    @Test
    public void unsetVariableExpandsToNothing() throws Exception {
        assertEquals(List.of("a", ":80"), split("a \"${UNSET}:80\""));
        assertEquals(List.of("ab"), split("a\"$UNSET\"b"));
    }

    @Test
    public void defaultReplacesUnsetVariablesOnly() throws Exception {
        assertEquals(List.of("127.0.0.1:80"), split("\"${UNSET-127.0.0.1}:80\""));
        assertEquals(List.of("10.0.0.1"), split("\"${HOST-127.0.0.1}\""));
        assertEquals(List.of("x", ":80"), split("x \"${EMPTY-127.0.0.1}:80\""));
        assertEquals(List.of("a b"), split("\"${UNSET-a b}\""));
    }

    @Test
    public void starSuffixSplitsTheValueIntoWords() throws Exception {
        assertEquals(List.of("k", "a", "b", "c", "z"), split("k \"${LIST[*]}\" z"));
        assertEquals(List.of("k", "a  b\tc"), split("k \"${LIST}\""));
    }

    @Test
    public void trailingEmptyWordIsDroppedButNotInnerOnes() throws Exception {
        assertEquals(List.of("bind"), split("bind \"$UNSET\""));
        assertEquals(List.of("a", "", "b"), split("a '' b"));
    }

    @Test
    public void errorsGiveThePosition() {
        assertEquals("unmatched quote at position 6", error("bind \":80"));
        assertEquals("unmatched quote at position 3", error("a 'b"));
        assertEquals("unmatched brace in environment variable name at position 5", error("a \"${HOST\""));
        assertEquals("unmatched brace in environment variable name at position 5", error("a \"${HOST-x\""));
        assertEquals("forbidden first character in environment variable name at position 5", error("a \"$1\""));
        assertEquals("forbidden first character in environment variable name at position 5", error("a \"$\""));
        assertEquals("truncated or invalid hexadecimal sequence at position 2", error("a\\x4"));
        assertEquals("truncated or invalid hexadecimal sequence at position 1", error("\\xzz"));
        assertEquals("truncated or invalid word expansion sequence at position 10", error("a \"${LIST[x]}\""));
    }
}
