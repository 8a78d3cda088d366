package io.opsagent.core.diagnosis.analyzers;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Volume;
import io.opsagent.core.cluster.ClusterSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** ConfigMap and Secret references of a pod spec, checked against the snapshot when it holds that kind. */
final class ConfigRefs {

    /**
     * One reference.
     *
     * @param kind      ConfigMap or Secret
     * @param key       the key read (null for a whole-object reference)
     * @param envName   the env var set from it (null for envFrom and volumes)
     * @param fieldPath where in the pod spec, e.g. {@code spec.containers[0].env[2]}
     */
    record Ref(String kind, String name, String key, boolean optional, String envName, String container,
               String fieldPath) {
        String describe() {
            return kind + " \"" + name + "\"" + (key == null ? "" : " key \"" + key + "\"")
                    + (envName == null ? "" : " (env " + envName + ")");
        }
    }

    private ConfigRefs() {
    }

    static List<Ref> of(Pod pod) {
        List<Ref> out = new ArrayList<>();
        if (pod.getSpec() == null) return out;
        addContainers(out, pod.getSpec().getInitContainers(), "spec.initContainers");
        addContainers(out, pod.getSpec().getContainers(), "spec.containers");
        List<Volume> vols = pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes();
        for (int i = 0; i < vols.size(); i++) {
            Volume v = vols.get(i);
            String fp = "spec.volumes[" + i + "]";
            if (v.getConfigMap() != null) {
                out.add(new Ref("ConfigMap", v.getConfigMap().getName(), null,
                        Boolean.TRUE.equals(v.getConfigMap().getOptional()), null, null, fp + ".configMap"));
            }
            if (v.getSecret() != null) {
                out.add(new Ref("Secret", v.getSecret().getSecretName(), null,
                        Boolean.TRUE.equals(v.getSecret().getOptional()), null, null, fp + ".secret"));
            }
        }
        return out;
    }

    private static void addContainers(List<Ref> out, List<Container> cs, String base) {
        if (cs == null) return;
        for (int i = 0; i < cs.size(); i++) {
            Container c = cs.get(i);
            List<EnvVar> env = c.getEnv() == null ? List.of() : c.getEnv();
            for (int j = 0; j < env.size(); j++) {
                EnvVar e = env.get(j);
                if (e.getValueFrom() == null) continue;
                String fp = base + "[" + i + "].env[" + j + "]";
                var cm = e.getValueFrom().getConfigMapKeyRef();
                if (cm != null) {
                    out.add(new Ref("ConfigMap", cm.getName(), cm.getKey(), Boolean.TRUE.equals(cm.getOptional()),
                            e.getName(), c.getName(), fp));
                }
                var sk = e.getValueFrom().getSecretKeyRef();
                if (sk != null) {
                    out.add(new Ref("Secret", sk.getName(), sk.getKey(), Boolean.TRUE.equals(sk.getOptional()),
                            e.getName(), c.getName(), fp));
                }
            }
            List<EnvFromSource> from = c.getEnvFrom() == null ? List.of() : c.getEnvFrom();
            for (int j = 0; j < from.size(); j++) {
                EnvFromSource f = from.get(j);
                String fp = base + "[" + i + "].envFrom[" + j + "]";
                if (f.getConfigMapRef() != null) {
                    out.add(new Ref("ConfigMap", f.getConfigMapRef().getName(), null,
                            Boolean.TRUE.equals(f.getConfigMapRef().getOptional()), null, c.getName(), fp));
                }
                if (f.getSecretRef() != null) {
                    out.add(new Ref("Secret", f.getSecretRef().getName(), null,
                            Boolean.TRUE.equals(f.getSecretRef().getOptional()), null, c.getName(), fp));
                }
            }
        }
    }

    /** Whether the snapshot lists objects of {@code kind} in {@code ns} at all (so a missing one is really missing). */
    static boolean knows(ClusterSnapshot s, String kind, String ns) {
        List<? extends HasMetadata> all = kind.equals("ConfigMap") ? s.configMaps() : s.secrets();
        return all.stream().anyMatch(o -> ns == null || ns.equals(o.getMetadata().getNamespace()));
    }

    static Optional<? extends HasMetadata> find(ClusterSnapshot s, String kind, String ns, String name) {
        List<? extends HasMetadata> all = kind.equals("ConfigMap") ? s.configMaps() : s.secrets();
        return all.stream().filter(o -> name.equals(o.getMetadata().getName())
                && (ns == null || o.getMetadata().getNamespace() == null || ns.equals(o.getMetadata().getNamespace())))
                .findFirst();
    }

    /** True when the referenced object exists but lacks the key. */
    static boolean missingKey(HasMetadata o, String key) {
        if (key == null) return false;
        if (o instanceof ConfigMap cm) {
            return (cm.getData() == null || !cm.getData().containsKey(key))
                    && (cm.getBinaryData() == null || !cm.getBinaryData().containsKey(key));
        }
        if (o instanceof Secret sec) {
            return sec.getData() == null || !sec.getData().containsKey(key);
        }
        return false;
    }

    /** Names of objects of {@code kind} in {@code ns} close to {@code name} (typos). */
    static List<String> similar(ClusterSnapshot s, String kind, String ns, String name) {
        List<? extends HasMetadata> all = kind.equals("ConfigMap") ? s.configMaps() : s.secrets();
        return all.stream().filter(o -> ns == null || ns.equals(o.getMetadata().getNamespace()))
                .map(o -> o.getMetadata().getName())
                .filter(n -> !n.equals(name) && Text.close(n, name)).distinct().limit(3).toList();
    }
}
