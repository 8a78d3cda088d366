package io.opsagent.bench;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** What the benches on the local cluster share: their Deployment, waiting for a rollout, percentiles, a result row. */
public final class ClusterBenches {
    private ClusterBenches() {
    }

    /** A 3-replica Deployment {@code name} of image {@code web:0}, its one container named {@code name}. */
    public static Deployment deployment(String name) {
        return new DeploymentBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec().withReplicas(3)
                .withNewSelector().addToMatchLabels("app", name).endSelector().withNewTemplate().withNewMetadata()
                .addToLabels("app", name).endMetadata().withNewSpec().addNewContainer().withName(name).withImage("web:0")
                .endContainer().endSpec().endTemplate().endSpec().build();
    }

    /** Waits (up to 120 s) until {@code name} in {@code ns} runs {@code image} on 3 updated, available replicas. */
    public static void waitRolledOut(KubernetesClient c, String ns, String name, String image) {
        c.apps().deployments().inNamespace(ns).withName(name).waitUntilCondition(d -> d != null && d.getStatus() != null
                && d.getMetadata().getGeneration().equals(d.getStatus().getObservedGeneration())
                && image.equals(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage())
                && Integer.valueOf(3).equals(d.getStatus().getUpdatedReplicas())
                && Integer.valueOf(3).equals(d.getStatus().getAvailableReplicas())
                && Integer.valueOf(3).equals(d.getStatus().getReplicas()), 120, TimeUnit.SECONDS);
    }

    public static double ms(long a, long b) {
        return (b - a) / 1e6;
    }

    public static double pct(List<Double> xs, double p) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        return s.get(Math.min(s.size() - 1, (int) Math.ceil(p * s.size()) - 1));
    }

    /** One row: p50/p95 of {@code xs}, and against {@code baseline} (named {@code baseName}) when there is one. */
    public static void row(String what, List<Double> xs, List<Double> baseline, String baseName, int width) {
        String base = baseline == null ? "" : String.format("   (%s: p50 %.0f ms, p95 %.0f ms; ratio p50 %.2fx)", baseName,
                pct(baseline, 0.5), pct(baseline, 0.95), pct(xs, 0.5) / pct(baseline, 0.5));
        System.out.printf("  %-" + width + "s p50 %7.1f ms  p95 %7.1f ms%s%n", what, pct(xs, 0.5), pct(xs, 0.95), base);
    }
}
