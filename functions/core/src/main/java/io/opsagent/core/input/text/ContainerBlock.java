package io.opsagent.core.input.text;

import io.fabric8.kubernetes.api.model.ConfigMapEnvSource;
import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateRunning;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ExecAction;
import io.fabric8.kubernetes.api.model.GRPCAction;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.SecretEnvSource;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.TCPSocketAction;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.opsagent.core.cluster.TextOrigin;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One container block of {@code kubectl describe} (pod, or the pod template of a workload): the container spec and,
 * when a {@code State:} line is present, its status.
 */
final class ContainerBlock {
    private static final Pattern SECRET_REF = Pattern.compile("<set to the key '([^']*)' in secret '([^']*)'>(?:\\s+Optional:\\s*(\\w+))?");
    private static final Pattern CONFIG_REF = Pattern.compile("<set to the key '([^']*)' of config map '([^']*)'>(?:\\s+Optional:\\s*(\\w+))?");
    private static final Pattern FIELD_REF = Pattern.compile("^\\((v\\d+):([^)]+)\\)$");
    private static final Pattern ENV_FROM = Pattern.compile("^(\\S+)\\s+(ConfigMap|Secret)(?:\\s+with prefix '([^']*)')?(?:\\s+Optional:\\s*(\\w+))?.*$");
    private static final Pattern MOUNT = Pattern.compile("^(\\S+) from (\\S+) \\((r[ow])(?:,\\s*path\\s+\"([^\"]*)\")?.*\\)$");
    private static final Pattern PORT = Pattern.compile("^(?:(\\S+)\\s+)?(\\d+)/(\\w+)$");
    private static final Pattern PROBE_PARAM = Pattern.compile("(delay|timeout|period|#success|#failure)=(\\S+)");

    final Container container = new Container();
    ContainerStatus status;

    private ContainerBlock() {
    }

    /**
     * Reads a container node ({@code name:} with its fields as children).
     *
     * @param specPath   e.g. {@code spec.containers[0]}
     * @param statusPath e.g. {@code status.containerStatuses[0]} (used only if the block has a State)
     */
    static ContainerBlock read(DNode node, String specPath, String statusPath, TextOrigin origin) {
        ContainerBlock b = new ContainerBlock();
        Container c = b.container;
        c.setName(node.key != null ? node.key : node.value);
        c.setResources(new ResourceRequirements());
        origin.field(specPath, node.number());
        for (DNode f : node.children) {
            if (f.key == null) continue;
            switch (f.key) {
                case "Image" -> { c.setImage(Values.clean(f.value)); origin.field(specPath + ".image", f.number()); }
                case "Port", "Ports" -> c.setPorts(ports(f.valueLines()));
                case "Command" -> { c.setCommand(args(f)); origin.field(specPath + ".command", f.number()); }
                case "Args" -> { c.setArgs(args(f)); origin.field(specPath + ".args", f.number()); }
                case "Limits", "Requests" -> resources(b, f, specPath, origin);
                case "Liveness", "Readiness", "Startup" -> {
                    Probe p = probe(f.value);
                    String field = f.key.toLowerCase() + "Probe";
                    if (f.key.equals("Liveness")) c.setLivenessProbe(p);
                    else if (f.key.equals("Readiness")) c.setReadinessProbe(p);
                    else c.setStartupProbe(p);
                    origin.field(specPath + "." + field, f.number());
                }
                case "Environment" -> env(c, f, specPath, origin);
                case "Environment Variables from" -> envFrom(c, f);
                case "Mounts" -> mounts(c, f);
                default -> { }
            }
        }
        DNode state = node.child("State");
        if (state != null) {
            ContainerStatus s = new ContainerStatus();
            s.setName(c.getName());
            s.setImage(c.getImage());
            s.setImageID(node.childValue("Image ID"));
            s.setContainerID(node.childValue("Container ID"));
            origin.field(statusPath, node.number());
            origin.field(statusPath + ".image", lineOf(node, "Image"));
            s.setState(state(state, statusPath + ".state", origin));
            DNode last = node.child("Last State");
            if (last != null && Values.clean(last.value) != null) {
                s.setLastState(state(last, statusPath + ".lastState", origin));
            } else {
                s.setLastState(new ContainerState());
            }
            DNode ready = node.child("Ready");
            s.setReady(ready != null && "True".equalsIgnoreCase(ready.value));
            if (ready != null) origin.field(statusPath + ".ready", ready.number());
            DNode restarts = node.child("Restart Count");
            Integer rc = restarts == null ? null : Values.integer(restarts.value);
            s.setRestartCount(rc == null ? 0 : rc);
            if (restarts != null) origin.field(statusPath + ".restartCount", restarts.number());
            DNode started = node.child("Started");
            if (started != null) s.setStarted(Values.bool(started.value));
            b.status = s;
        }
        return b;
    }

    private static int lineOf(DNode node, String key) {
        DNode c = node.child(key);
        return c == null ? node.number() : c.number();
    }

    private static ContainerState state(DNode n, String path, TextOrigin origin) {
        ContainerState st = new ContainerState();
        String kind = Values.clean(n.value);
        origin.field(path, n.number());
        if (kind == null) return st;
        String reason = n.childValue("Reason");
        String message = message(n.child("Message"));
        if (kind.startsWith("Waiting")) {
            ContainerStateWaiting w = new ContainerStateWaiting();
            w.setReason(reason);
            w.setMessage(message);
            st.setWaiting(w);
            fieldLines(n, path + ".waiting", origin);
        } else if (kind.startsWith("Running")) {
            ContainerStateRunning r = new ContainerStateRunning();
            r.setStartedAt(Values.time(n.childValue("Started")));
            st.setRunning(r);
            fieldLines(n, path + ".running", origin);
        } else if (kind.startsWith("Terminated")) {
            ContainerStateTerminated t = new ContainerStateTerminated();
            t.setReason(reason);
            t.setMessage(message);
            t.setExitCode(Values.integer(n.childValue("Exit Code")));
            Integer signal = Values.integer(n.childValue("Signal"));
            if (signal != null) t.setSignal(signal);
            t.setStartedAt(Values.time(n.childValue("Started")));
            t.setFinishedAt(Values.time(n.childValue("Finished")));
            st.setTerminated(t);
            fieldLines(n, path + ".terminated", origin);
        }
        return st;
    }

    private static void fieldLines(DNode n, String path, TextOrigin origin) {
        origin.field(path, n.number());
        for (DNode c : n.children) {
            if (c.key == null) continue;
            String f = switch (c.key) {
                case "Reason" -> "reason";
                case "Message" -> "message";
                case "Exit Code" -> "exitCode";
                case "Signal" -> "signal";
                case "Started" -> "startedAt";
                case "Finished" -> "finishedAt";
                default -> null;
            };
            if (f != null) origin.field(path + "." + f, c.number());
        }
    }

    /** A Message value with its continuation lines. */
    private static String message(DNode n) {
        if (n == null) return null;
        List<String> parts = n.valueLines();
        return parts.isEmpty() ? null : String.join("\n", parts);
    }

    private static List<String> args(DNode f) {
        List<String> out = new ArrayList<>();
        String v = Values.clean(f.value);
        if (v != null) out.add(v);
        for (DNode c : f.children) out.add(c.line.text().trim());
        return out;
    }

    private static List<ContainerPort> ports(List<String> values) {
        List<ContainerPort> out = new ArrayList<>();
        for (String v : values) {
            for (String part : v.split(",")) {
                Matcher m = PORT.matcher(part.trim());
                if (!m.matches()) continue;
                ContainerPort p = new ContainerPort();
                p.setName(m.group(1));
                p.setContainerPort(Integer.parseInt(m.group(2)));
                p.setProtocol(m.group(3));
                out.add(p);
            }
        }
        return out;
    }

    private static void resources(ContainerBlock b, DNode f, String specPath, TextOrigin origin) {
        ResourceRequirements r = b.container.getResources();
        if (r == null) {
            r = new ResourceRequirements();
            b.container.setResources(r);
        }
        Map<String, Quantity> q = new LinkedHashMap<>();
        String kind = f.key.equals("Limits") ? "limits" : "requests";
        origin.field(specPath + ".resources." + kind, f.number());
        for (DNode c : f.children) {
            if (c.key == null) continue;
            Quantity qty = Values.quantity(c.value);
            if (qty != null) {
                q.put(c.key, qty);
                origin.field(specPath + ".resources." + kind + "." + c.key, c.number());
            }
        }
        if (kind.equals("limits")) r.setLimits(q); else r.setRequests(q);
    }

    /** A probe from {@code http-get http://:8080/healthz delay=0s timeout=1s period=10s #success=1 #failure=3}. */
    static Probe probe(String text) {
        Probe p = new Probe();
        String t = text == null ? "" : text.trim();
        Matcher pm = PROBE_PARAM.matcher(t);
        int firstParam = t.length();
        while (pm.find()) {
            firstParam = Math.min(firstParam, pm.start());
            Integer v = Values.seconds(pm.group(2));
            switch (pm.group(1)) {
                case "delay" -> p.setInitialDelaySeconds(v);
                case "timeout" -> p.setTimeoutSeconds(v);
                case "period" -> p.setPeriodSeconds(v);
                case "#success" -> p.setSuccessThreshold(v);
                case "#failure" -> p.setFailureThreshold(v);
                default -> { }
            }
        }
        String action = t.substring(0, firstParam).trim();
        if (action.startsWith("http-get")) {
            String url = action.substring("http-get".length()).trim();
            HTTPGetAction h = new HTTPGetAction();
            Matcher m = Pattern.compile("^(https?)://([^:/]*):([^/]+)(/.*)?$").matcher(url);
            if (m.matches()) {
                h.setScheme(m.group(1).toUpperCase());
                if (!m.group(2).isEmpty()) h.setHost(m.group(2));
                h.setPort(intOrString(m.group(3)));
                h.setPath(m.group(4) == null ? "/" : m.group(4));
            }
            p.setHttpGet(h);
        } else if (action.startsWith("tcp-socket")) {
            String target = action.substring("tcp-socket".length()).trim();
            TCPSocketAction s = new TCPSocketAction();
            int colon = target.lastIndexOf(':');
            if (colon >= 0) {
                if (colon > 0) s.setHost(target.substring(0, colon));
                s.setPort(intOrString(target.substring(colon + 1)));
            }
            p.setTcpSocket(s);
        } else if (action.startsWith("exec")) {
            String cmd = action.substring("exec".length()).trim();
            if (cmd.startsWith("[") && cmd.endsWith("]")) cmd = cmd.substring(1, cmd.length() - 1);
            ExecAction e = new ExecAction();
            e.setCommand(new ArrayList<>(Arrays.asList(cmd.split("\\s+"))));
            p.setExec(e);
        } else if (action.startsWith("grpc")) {
            String target = action.substring("grpc".length()).trim();
            GRPCAction g = new GRPCAction();
            int colon = target.lastIndexOf(':');
            Integer port = colon >= 0 ? Values.integer(target.substring(colon + 1)) : null;
            g.setPort(port);
            p.setGrpc(g);
        }
        return p;
    }

    private static IntOrString intOrString(String v) {
        Integer i = Values.integer(v);
        return i != null && String.valueOf(i).equals(v) ? new IntOrString(i) : new IntOrString(v);
    }

    private static void env(Container c, DNode f, String specPath, TextOrigin origin) {
        List<EnvVar> env = new ArrayList<>();
        for (DNode e : f.children) {
            if (e.key == null) continue;
            EnvVar v = new EnvVar();
            v.setName(e.key);
            String value = e.value;
            Matcher s = SECRET_REF.matcher(value);
            Matcher cm = CONFIG_REF.matcher(value);
            Matcher fr = FIELD_REF.matcher(value);
            if (s.find()) {
                SecretKeySelector sel = new SecretKeySelector(s.group(1), s.group(2), optional(s.group(3)));
                v.setValueFrom(new EnvVarSource(null, null, null, null, sel));
            } else if (cm.find()) {
                ConfigMapKeySelector sel = new ConfigMapKeySelector(cm.group(1), cm.group(2), optional(cm.group(3)));
                v.setValueFrom(new EnvVarSource(sel, null, null, null, null));
            } else if (fr.matches()) {
                v.setValueFrom(new EnvVarSource(null, new ObjectFieldSelector(fr.group(1), fr.group(2)), null, null, null));
            } else {
                v.setValue(value);
            }
            origin.field(specPath + ".env[" + env.size() + "]", e.number());
            env.add(v);
        }
        if (!env.isEmpty()) {
            c.setEnv(env);
            origin.field(specPath + ".env", f.number());
        }
    }

    private static Boolean optional(String v) {
        return v == null ? null : Boolean.valueOf(v);
    }

    private static void envFrom(Container c, DNode f) {
        List<EnvFromSource> out = new ArrayList<>();
        for (DNode e : f.children) {
            Matcher m = ENV_FROM.matcher(e.raw());
            if (!m.matches()) continue;
            EnvFromSource s = new EnvFromSource();
            s.setPrefix(m.group(3));
            if (m.group(2).equals("ConfigMap")) s.setConfigMapRef(new ConfigMapEnvSource(m.group(1), optional(m.group(4))));
            else s.setSecretRef(new SecretEnvSource(m.group(1), optional(m.group(4))));
            out.add(s);
        }
        if (!out.isEmpty()) c.setEnvFrom(out);
    }

    private static void mounts(Container c, DNode f) {
        List<VolumeMount> out = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        if (Values.clean(f.value) != null) lines.add(f.value);
        for (DNode m : f.children) lines.add(m.raw());
        for (String l : lines) {
            Matcher m = MOUNT.matcher(l.trim());
            if (!m.matches()) continue;
            VolumeMount vm = new VolumeMount();
            vm.setMountPath(m.group(1));
            vm.setName(m.group(2));
            vm.setReadOnly(m.group(3).equals("ro"));
            vm.setSubPath(m.group(4));
            out.add(vm);
        }
        c.setVolumeMounts(out);
    }
}
