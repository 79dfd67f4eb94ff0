package org.muxgate.proxy.rules;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import java.net.InetAddress;
import java.util.List;

import org.junit.Test;

/** Truth tables of conditions: AND, OR, negation, unless, and the expressions of each criterion. */
public class ConditionTest {

    private static final TestSample SAMPLE = new TestSample("GET", "/api/users").header("Host", "www.example.com");

    private static Acl constant(String name, boolean value) {
        return new Acl(name, List.of(sample -> value));
    }

    private static Condition.Term term(boolean value) {
        return new Condition.Term(constant(value ? "T" : "F", value), false);
    }

    private static Condition.Term not(boolean value) {
        return new Condition.Term(constant(value ? "T" : "F", value), true);
    }

    private static boolean ifAll(Condition.Term... terms) {
        return new Condition(false, List.of(List.of(terms))).evaluate(SAMPLE);
    }

    @Test
    public void andOfTerms() {
        assertEquals(true, ifAll(term(true)));
        assertEquals(false, ifAll(term(false)));
        assertEquals(true, ifAll(term(true), term(true)));
        assertEquals(false, ifAll(term(true), term(false)));
        assertEquals(false, ifAll(term(false), term(true)));
        assertEquals(false, ifAll(term(false), term(false)));
    }

    @Test
    public void negation() {
        assertEquals(false, ifAll(not(true)));
        assertEquals(true, ifAll(not(false)));
        assertEquals(true, ifAll(term(true), not(false)));
        assertEquals(false, ifAll(not(true), not(false)));
    }

    @Test
    public void orOfAlternatives() {
        for (boolean a : new boolean[] {false, true}) {
            for (boolean b : new boolean[] {false, true}) {
                for (boolean c : new boolean[] {false, true}) {
                    // a || b c  is  a OR (b AND c)
                    Condition condition = new Condition(false, List.of(List.of(term(a)), List.of(term(b), term(c))));
                    assertEquals(a + " || " + b + " " + c, a || (b && c), condition.evaluate(SAMPLE));
                    Condition unless = new Condition(true, List.of(List.of(term(a)), List.of(term(b), term(c))));
                    assertEquals("unless " + a + " || " + b + " " + c, !(a || (b && c)), unless.evaluate(SAMPLE));
                }
            }
        }
    }

    @Test
    public void unlessNegatesTheWhole() {
        assertEquals(false, new Condition(true, List.of(List.of(term(true)))).evaluate(SAMPLE));
        assertEquals(true, new Condition(true, List.of(List.of(term(false)))).evaluate(SAMPLE));
        assertEquals(true, new Condition(true, List.of(List.of(term(true), term(false)))).evaluate(SAMPLE));
        assertEquals(false, new Condition(true, List.of(List.of(not(false)))).evaluate(SAMPLE));
    }

    @Test
    public void anAclMatchesWhenAnyOfItsLinesDoes() {
        Acl acl = new Acl("static", List.of(
                AclExpression.path(new PatternMatcher(MatchMethod.BEG, false, List.of("/static/"))),
                AclExpression.path(new PatternMatcher(MatchMethod.END, false, List.of(".css")))));
        assertEquals(true, acl.matches(new TestSample("GET", "/static/a.js")));
        assertEquals(true, acl.matches(new TestSample("GET", "/a/b.css")));
        assertEquals(false, acl.matches(new TestSample("GET", "/a/b.js")));
    }

    @Test
    public void criteria() throws Exception {
        TestSample sample = new TestSample("POST", "/api/v1")
                .header("Host", "api.example.com:8443")
                .header("Accept", "text/html, application/json")
                .header("X-Empty", "")
                .from("10.1.2.3");
        assertEquals(true, AclExpression.method(new PatternMatcher(MatchMethod.STR, false, List.of("GET", "POST")))
                .matches(sample));
        assertEquals(false, AclExpression.method(new PatternMatcher(MatchMethod.STR, false, List.of("post")))
                .matches(sample));
        assertEquals(true, AclExpression.path(new PatternMatcher(MatchMethod.BEG, false, List.of("/api")))
                .matches(sample));
        assertEquals(true, AclExpression.header("host", new PatternMatcher(MatchMethod.DOM, true, List.of("EXAMPLE.com")))
                .matches(sample));
        assertEquals(true, AclExpression.header("accept", new PatternMatcher(MatchMethod.STR, false,
                List.of("application/json"))).matches(sample));
        assertEquals(false, AclExpression.header("accept", new PatternMatcher(MatchMethod.STR, false,
                List.of("text/html, application/json"))).matches(sample));
        assertEquals(true, AclExpression.header("x-empty", new PatternMatcher(MatchMethod.FOUND, false, List.of()))
                .matches(sample));
        assertEquals(false, AclExpression.header("x-missing", new PatternMatcher(MatchMethod.FOUND, false, List.of()))
                .matches(sample));
        assertEquals(true, AclExpression.source(List.of(new Network(InetAddress.getByName("192.168.0.0"), 16),
                new Network(InetAddress.getByName("10.0.0.0"), 8))).matches(sample));
        assertEquals(false, AclExpression.source(List.of(new Network(InetAddress.getByName("10.0.0.0"), 16)))
                .matches(sample));
    }

    @Test
    public void emptyAlternativesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Condition(false, List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Condition(false, List.of(List.of(term(true)), List.of())));
    }

    @Test
    public void describesItselfAsWritten() {
        Condition condition = new Condition(true, List.of(List.of(term(true), not(false)), List.of(term(false))));
        assertEquals("unless T !F || F", condition.toString());
    }

    @Test
    public void aRuleWithoutConditionAlwaysApplies() {
        assertEquals(true, new HttpRule(1, new HttpAction.Allow(), null).applies(SAMPLE));
        assertEquals(false, new HttpRule(1, new HttpAction.Allow(),
                new Condition(false, List.of(List.of(term(false))))).applies(SAMPLE));
    }
}
