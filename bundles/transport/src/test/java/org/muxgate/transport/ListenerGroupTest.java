package org.muxgate.transport;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import org.junit.Test;
import org.muxgate.api.transport.ProtoMode;

/** The "no mux" log line of a frontend: at most one per second, whatever the connection rate. */
public class ListenerGroupTest {

    @Test
    public void logsTheMissingMuxAtMostOncePerSecond() {
        ListenerGroup group = new ListenerGroup("fe", ProtoMode.TCP, 0, endpoint -> false);
        assertTrue(group.missingMux(5_000, null));
        assertFalse(group.missingMux(5_000, null));
        assertFalse(group.missingMux(5_999, null));
        assertTrue(group.missingMux(6_000, null));
        assertFalse(group.missingMux(6_500, "h2"));
    }

    @Test
    public void eachFrontendHasItsOwnLimit() {
        ListenerGroup one = new ListenerGroup("one", ProtoMode.TCP, 0, endpoint -> false);
        ListenerGroup two = new ListenerGroup("two", ProtoMode.TCP, 0, endpoint -> false);
        assertTrue(one.missingMux(0, null));
        assertTrue(two.missingMux(0, null));
    }
}
