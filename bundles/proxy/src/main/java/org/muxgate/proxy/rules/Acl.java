package org.muxgate.proxy.rules;

import java.util.List;

/**
 * A named ACL: as in HAProxy, the {@code acl} lines of one name in a section add
 * up, and the ACL matches when any of them does. An anonymous ACL
 * ({@code { path_beg /api }}) is one expression named by its text.
 */
public final class Acl {

    private final String name;
    private final AclExpression[] expressions;

    public Acl(String name, List<AclExpression> expressions) {
        this.name = name;
        this.expressions = expressions.toArray(new AclExpression[0]);
    }

    public String name() {
        return name;
    }

    public boolean matches(HttpSample sample) {
        for (AclExpression expression : expressions) {
            if (expression.matches(sample)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return name;
    }
}
