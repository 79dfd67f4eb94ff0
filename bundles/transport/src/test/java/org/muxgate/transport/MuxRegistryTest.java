package org.muxgate.transport;

import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;

import org.junit.Test;
import org.muxgate.api.transport.Connection;
import org.muxgate.api.transport.Mux;
import org.muxgate.api.transport.MuxProto;
import org.muxgate.api.transport.ProtoMode;
import org.muxgate.api.transport.ProtoSide;
import org.muxgate.api.transport.StreamOpener;

/** How the registry chooses a mux, without OSGi and without sockets. */
public class MuxRegistryTest {

    private static MuxProto proto(String token, ProtoMode mode, ProtoSide side) {
        return proto(token, mode, side, true);
    }

    private static MuxProto proto(String token, ProtoMode mode, ProtoSide side, boolean byDefault) {
        return new MuxProto() {
            @Override
            public boolean servesByDefault() {
                return byDefault;
            }

            @Override
            public String token() {
                return token;
            }

            @Override
            public ProtoMode mode() {
                return mode;
            }

            @Override
            public ProtoSide side() {
                return side;
            }

            @Override
            public Mux create(Connection connection, StreamOpener opener) {
                throw new AssertionError("not used here");
            }
        };
    }

    private final MuxRegistry registry = new MuxRegistry();
    private final MuxProto pt = proto("none", ProtoMode.TCP, ProtoSide.BOTH);
    private final MuxProto h1 = proto("h1", ProtoMode.HTTP, ProtoSide.BOTH);
    private final MuxProto h2 = proto("h2", ProtoMode.HTTP, ProtoSide.BOTH);
    private final MuxProto frontOnly = proto("fe", ProtoMode.TCP, ProtoSide.FRONTEND);

    @Test
    public void defaultIsTheFirstRegisteredForModeAndSide() {
        registry.register(frontOnly);
        registry.register(pt);
        registry.register(h1);
        registry.register(h2);
        assertSame(frontOnly, registry.select(null, null, ProtoMode.TCP, ProtoSide.FRONTEND));
        assertSame(pt, registry.select(null, null, ProtoMode.TCP, ProtoSide.BACKEND));
        assertSame(h1, registry.select(null, null, ProtoMode.HTTP, ProtoSide.FRONTEND));
    }

    @Test
    public void aMuxThatOnlyServesByTokenIsNeverTheDefault() {
        MuxProto tokenOnly = proto("h2", ProtoMode.HTTP, ProtoSide.FRONTEND, false);
        registry.register(tokenOnly);
        assertNull("no default HTTP mux yet", registry.select(null, null, ProtoMode.HTTP, ProtoSide.FRONTEND));
        registry.register(h1);
        assertSame(h1, registry.select(null, null, ProtoMode.HTTP, ProtoSide.FRONTEND));
        assertSame(tokenOnly, registry.select("h2", null, ProtoMode.HTTP, ProtoSide.FRONTEND));
        assertSame(tokenOnly, registry.select(null, "h2", ProtoMode.HTTP, ProtoSide.FRONTEND));
    }

    @Test
    public void alpnTokenBeatsTheDefault() {
        registry.register(h1);
        registry.register(h2);
        assertSame(h2, registry.select(null, "h2", ProtoMode.HTTP, ProtoSide.FRONTEND));
        assertSame(h1, registry.select(null, "http/1.0", ProtoMode.HTTP, ProtoSide.FRONTEND));
    }

    @Test
    public void explicitProtoWinsOverAlpnAndMode() {
        registry.register(pt);
        registry.register(h1);
        registry.register(h2);
        assertSame(h1, registry.select("h1", "h2", ProtoMode.HTTP, ProtoSide.BACKEND));
        assertSame(pt, registry.select("none", null, ProtoMode.HTTP, ProtoSide.FRONTEND));
    }

    @Test
    public void nothingWhenMissingOrWrongSide() {
        assertNull(registry.select(null, null, ProtoMode.TCP, ProtoSide.FRONTEND));
        registry.register(frontOnly);
        assertNull(registry.select(null, null, ProtoMode.TCP, ProtoSide.BACKEND));
        assertNull(registry.select("fe", null, ProtoMode.TCP, ProtoSide.BACKEND));
        assertNull(registry.select("h2", null, ProtoMode.TCP, ProtoSide.FRONTEND));
    }

    @Test
    public void unregisteredProtocolsAreNoLongerSelected() {
        registry.register(pt);
        registry.register(frontOnly);
        registry.unregister(frontOnly);
        assertSame(pt, registry.select(null, null, ProtoMode.TCP, ProtoSide.FRONTEND));
        registry.unregister(pt);
        assertNull(registry.select(null, null, ProtoMode.TCP, ProtoSide.FRONTEND));
    }
}
