package org.muxgate.transport.osgi;

import org.muxgate.api.transport.MuxProto;
import org.muxgate.transport.MuxRegistry;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The mux registry as a service, fed by the whiteboard of {@link MuxProto}
 * services: SCR calls bind and unbind as mux bundles start and stop. Unbind runs
 * while the leaving service is unregistered, and returns once the connections of
 * that mux are closed.
 */
@Component(service = MuxRegistry.class, immediate = true)
public final class MuxRegistryComponent extends MuxRegistry {

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, unbind = "removeProto")
    void addProto(MuxProto proto) {
        register(proto);
    }

    void removeProto(MuxProto proto) {
        unregister(proto);
    }
}
