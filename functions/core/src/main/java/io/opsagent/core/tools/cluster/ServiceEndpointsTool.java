package io.opsagent.core.tools.cluster;

import io.opsagent.core.tools.ToolNames;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.opsagent.core.tools.Citation;
import io.opsagent.core.tools.ToolContext;
import io.opsagent.core.tools.ToolResult;
import io.opsagent.core.tools.ToolSpec;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** {@code service_endpoints}: the Services in front of a workload, their selectors, ports and ready endpoints. */
final class ServiceEndpointsTool extends ClusterTool {
    ServiceEndpointsTool() {
        super(new ToolSpec(ToolNames.SERVICE_ENDPOINTS, "The Services that select a workload's pods (or a named Service): "
                + "type, selector, ports, ready and not-ready endpoints, and which pods match the selector.",
                scoped().build()));
    }

    @Override
    public ToolResult call(ObjectNode args, ToolContext c) {
        Target t = target(args, c);
        Set<Service> services = new LinkedHashSet<>();
        if (t.object() instanceof Service s) {
            services.add(s);
        } else if (t.object() == null) {
            c.snapshot().services().stream().filter(s -> t.namespace().equals(s.getMetadata().getNamespace()))
                    .forEach(services::add);
        } else {
            for (Pod p : t.pods()) services.addAll(t.ctx().servicesSelecting(p));
        }
        StringBuilder sb = new StringBuilder("Services of " + t.label() + ": " + services.size() + "\n");
        List<Citation> cites = new ArrayList<>();
        ArrayNode data = JSON.createArrayNode();
        int withoutEndpoints = 0;
        for (Service s : services) {
            String ref = c.snapshot().ref(s, "spec.selector");
            cites.add(new Citation(ref, "service " + name(s)));
            List<Pod> selected = t.ctx().podsSelectedBy(s);
            long readyPods = selected.stream().filter(PodText::ready).count();
            int ready = 0;
            int notReady = 0;
            String epRef = null;
            for (Endpoints ep : c.snapshot().endpoints()) {
                if (name(ep).equals(name(s)) && s.getMetadata().getNamespace().equals(ep.getMetadata().getNamespace())) {
                    epRef = c.snapshot().ref(ep, "subsets");
                    if (ep.getSubsets() != null) {
                        for (EndpointSubset sub : ep.getSubsets()) {
                            ready += sub.getAddresses() == null ? 0 : sub.getAddresses().size();
                            notReady += sub.getNotReadyAddresses() == null ? 0 : sub.getNotReadyAddresses().size();
                        }
                    }
                }
            }
            if (epRef == null) {
                ready = (int) readyPods;
                notReady = selected.size() - ready;
            } else {
                cites.add(new Citation(epRef, "endpoints " + name(s)));
            }
            if (ready == 0) withoutEndpoints++;
            String ports = s.getSpec().getPorts() == null ? "[]" : s.getSpec().getPorts().stream()
                    .map(p -> p.getPort() + "->" + (p.getTargetPort() == null ? p.getPort() : p.getTargetPort().getValue())
                            + "/" + p.getProtocol()).toList().toString();
            sb.append("- ").append(name(s)).append(" (").append(s.getSpec().getType()).append(") selector ")
                    .append(s.getSpec().getSelector()).append(" ports ").append(ports).append(": ").append(ready)
                    .append(" ready endpoints, ").append(notReady).append(" not ready; ").append(selected.size())
                    .append(" pods match the selector (").append(readyPods).append(" ready)")
                    .append(selected.isEmpty() ? " — the selector matches no pod" : "")
                    .append("  [").append(ref).append(epRef == null ? "" : ", " + epRef).append("]\n");
            ObjectNode o = data.addObject();
            o.put("name", name(s));
            o.put("type", s.getSpec().getType());
            o.set("selector", JSON.valueToTree(s.getSpec().getSelector()));
            o.put("readyEndpoints", ready);
            o.put("notReadyEndpoints", notReady);
            o.put("matchingPods", selected.size());
            o.put("ref", ref);
        }
        if (services.isEmpty()) sb.append("(no Service selects these pods)\n");
        return ToolResult.ok(sb.toString(), services.size() + " services" + (withoutEndpoints > 0
                ? ", " + withoutEndpoints + " without ready endpoints" : ""), data, cites);
    }
}
