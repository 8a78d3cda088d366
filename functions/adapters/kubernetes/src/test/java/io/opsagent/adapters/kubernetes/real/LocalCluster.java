package io.opsagent.adapters.kubernetes.real;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real local cluster the tests of the live path run against ({@code cluster/cluster}: etcd, kube-apiserver,
 * kube-controller-manager, kube-scheduler, kwok). {@code scripts/test} starts it once before the Maven build and
 * stops it at the end; a test JVM started another way starts it here (building the binaries on first use) and
 * stops what it started when it exits.
 *
 * <p>It is its own cluster, apart from a user's {@code ./opsagent cluster up}: state in
 * {@code OPSAGENT_TEST_CLUSTER_DIR} (default {@code $TMPDIR/opsagent-test-cluster}), API server on port
 * {@code OPSAGENT_TEST_CLUSTER_PORT} (default 26443), etcd on {@code OPSAGENT_TEST_CLUSTER_ETCD_PORT} (default 22379). Users (static tokens): {@code admin}
 * (system:masters), {@code opsagent} (group opsagent:agents), {@code alice} (no groups), {@code bob}
 * (team-shop), {@code carol} (team-shop, opsagent:approvers).
 */
public final class LocalCluster {
    private static LocalCluster instance;

    private final Path dir;

    private LocalCluster(Path dir) {
        this.dir = dir;
    }

    /** The running cluster; starts it (once per JVM) when it does not answer. */
    public static synchronized LocalCluster get() {
        if (instance == null) instance = start();
        return instance;
    }

    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isRegularFile(p.resolve("cluster/cluster"))) p = p.getParent();
        if (p == null) throw new IllegalStateException("cluster/cluster not found above " + Path.of("").toAbsolutePath());
        return p;
    }

    static Path stateDir() {
        String d = System.getenv("OPSAGENT_TEST_CLUSTER_DIR");
        return d != null && !d.isBlank() ? Path.of(d) : Path.of(System.getProperty("java.io.tmpdir"), "opsagent-test-cluster");
    }

    static String port() {
        String p = System.getenv("OPSAGENT_TEST_CLUSTER_PORT");
        return p != null && !p.isBlank() ? p : "26443";
    }

    private static LocalCluster start() {
        Path root = root();
        Path dir = stateDir();
        boolean running = script(root, dir, "status") == 0;
        if (!running) {
            System.err.println("LocalCluster: starting the test cluster in " + dir + " (the first time builds its "
                    + "binaries from the Go module proxy: about 12 minutes)");
            if (script(root, dir, "up", "--no-seed") != 0) {
                throw new IllegalStateException("the local test cluster did not start; see the output above and "
                        + dir.resolve("logs"));
            }
            Runtime.getRuntime().addShutdownHook(new Thread(() -> script(root, dir, "down")));
        }
        return new LocalCluster(dir);
    }

    private static int script(Path root, Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of(root.resolve("cluster/cluster").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
        pb.environment().put("OPSAGENT_CLUSTER_DIR", dir.toString());
        pb.environment().put("OPSAGENT_CLUSTER_PORT", port());
        String etcd = System.getenv("OPSAGENT_TEST_CLUSTER_ETCD_PORT");
        pb.environment().put("OPSAGENT_CLUSTER_ETCD_PORT", etcd != null && !etcd.isBlank() ? etcd : "22379");
        if (args[0].equals("status")) pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        try {
            Process p = pb.start();
            if (!p.waitFor(30, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("cluster/cluster " + String.join(" ", args) + " did not finish in 30 minutes");
            }
            return p.exitValue();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run cluster/cluster: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The cluster's state directory. */
    public Path dir() {
        return dir;
    }

    /** Stops ({@code false}) or starts ({@code true}) kwok, the node's simulated kubelet (pods wait while it is stopped). */
    public void kwok(boolean run) {
        if (script(root(), dir, "kwok", run ? "start" : "stop") != 0) {
            throw new IllegalStateException("cluster/cluster kwok " + (run ? "start" : "stop") + " failed");
        }
    }

    /**
     * The cluster's own node again ({@code kwok-node-0}, as {@code cluster up} makes it), uncordoned: after a test
     * that loaded a dump's nodes (which replace it) and deleted them.
     */
    public static void restoreDefaultNode(KubernetesClient admin) {
        var existing = admin.nodes().withName("kwok-node-0").get();
        if (existing == null) {
            admin.nodes().resource(new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata().withName("kwok-node-0")
                    .addToAnnotations("kwok.x-k8s.io/node", "fake").addToAnnotations("node.alpha.kubernetes.io/ttl", "0")
                    .addToLabels("kubernetes.io/os", "linux").addToLabels("kubernetes.io/arch", "amd64")
                    .addToLabels("kubernetes.io/hostname", "kwok-node-0").addToLabels("type", "kwok").endMetadata()
                    .withNewStatus().addToCapacity("cpu", new io.fabric8.kubernetes.api.model.Quantity("32"))
                    .addToCapacity("memory", new io.fabric8.kubernetes.api.model.Quantity("256Gi"))
                    .addToCapacity("pods", new io.fabric8.kubernetes.api.model.Quantity("110"))
                    .addToAllocatable("cpu", new io.fabric8.kubernetes.api.model.Quantity("32"))
                    .addToAllocatable("memory", new io.fabric8.kubernetes.api.model.Quantity("256Gi"))
                    .addToAllocatable("pods", new io.fabric8.kubernetes.api.model.Quantity("110")).endStatus().build()).create();
        } else if (Boolean.TRUE.equals(existing.getSpec().getUnschedulable())) {
            admin.nodes().withName("kwok-node-0").edit(n -> new io.fabric8.kubernetes.api.model.NodeBuilder(n).editSpec()
                    .withUnschedulable(false).endSpec().build());
        }
        admin.nodes().withName("kwok-node-0").waitUntilCondition(n -> n != null && n.getStatus() != null
                && n.getStatus().getConditions() != null && n.getStatus().getConditions().stream()
                .anyMatch(c -> c.getType().equals("Ready") && c.getStatus().equals("True"))
                && (n.getSpec().getTaints() == null || n.getSpec().getTaints().isEmpty()), 60, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** The repository's root (the demo dump is {@code events/clusters/demo} under it). */
    public static Path repositoryRoot() {
        return root();
    }

    /** The kubeconfig of {@code user} ({@code admin} or a test user). */
    public Path kubeconfig(String user) {
        return user.equals("admin") ? dir.resolve("kubeconfig") : dir.resolve("kubeconfig.d").resolve(user);
    }

    /** A client configuration as {@code user} (no retries: a test wants the server's answer, at once). */
    public Config config(String user) {
        try {
            Config c = Config.fromKubeconfig("opsagent-local", Files.readString(kubeconfig(user), StandardCharsets.UTF_8),
                    kubeconfig(user).toString());
            c.setRequestRetryBackoffLimit(0);
            return c;
        } catch (IOException e) {
            throw new IllegalStateException("no kubeconfig for " + user + " in " + dir, e);
        }
    }

    private static final String RBAC = "rbac.authorization.k8s.io";

    /** Creates the ClusterRole {@code name} that may impersonate any user and group. */
    public static void impersonatorRole(KubernetesClient admin, String name) {
        admin.rbac().clusterRoles().resource(new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder().withNewMetadata()
                .withName(name).endMetadata().addNewRule().withApiGroups("").withResources("users", "groups")
                .withVerbs("impersonate").endRule().build()).create();
    }

    /**
     * The product's own identity ({@code opsagent}) as the write actions need it, cluster-wide: read ({@code view}),
     * impersonate users and groups, and ask SubjectAccessReviews; it writes nothing itself. Names start with
     * {@code name}; {@link #removeAgentRbac} takes them away.
     */
    public static void agentRbac(KubernetesClient admin, String name) {
        impersonatorRole(admin, name + "-impersonator");
        bindClusterWide(admin, name + "-opsagent", name + "-impersonator", "User", "opsagent");
        bindClusterWide(admin, name + "-opsagent-view", "view", "User", "opsagent");
        admin.rbac().clusterRoles().resource(new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder().withNewMetadata()
                .withName(name + "-sar").endMetadata().addNewRule().withApiGroups("authorization.k8s.io")
                .withResources("subjectaccessreviews").withVerbs("create").endRule().build()).create();
        bindClusterWide(admin, name + "-opsagent-sar", name + "-sar", "User", "opsagent");
    }

    /**
     * A namespace for the write-action tests: a Deployment {@code web} of {@code replicas} pods (rolled out), the
     * product's identity as {@link #agentRbac} makes it, and {@code edit} in it for bob and carol.
     */
    public static void actionsNamespace(KubernetesClient admin, String ns, int replicas) {
        admin.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata().withName(ns)
                .endMetadata().build()).create();
        admin.apps().deployments().inNamespace(ns).resource(deployment("web", replicas, "web:1")).create();
        agentRbac(admin, ns);
        bindInNamespace(admin, ns, "bob-edit", "edit", "User", "bob");
        bindInNamespace(admin, ns, "carol-edit", "edit", "User", "carol");
        admin.apps().deployments().inNamespace(ns).withName("web").waitUntilCondition(d -> d.getStatus() != null
                && Integer.valueOf(replicas).equals(d.getStatus().getAvailableReplicas()), 60, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** Removes what {@link #actionsNamespace} made. */
    public static void removeActionsNamespace(KubernetesClient admin, String ns) {
        removeAgentRbac(admin, ns);
        admin.namespaces().withName(ns).delete();
    }

    /** Removes what {@link #agentRbac} made. */
    public static void removeAgentRbac(KubernetesClient admin, String name) {
        for (String b : java.util.List.of("-opsagent", "-opsagent-view", "-opsagent-sar")) {
            admin.rbac().clusterRoleBindings().withName(name + b).delete();
        }
        admin.rbac().clusterRoles().withName(name + "-impersonator").delete();
        admin.rbac().clusterRoles().withName(name + "-sar").delete();
    }

    /** Binds the ClusterRole {@code role} to a {@code User} or {@code Group} cluster-wide, as {@code binding}. */
    public static void bindClusterWide(KubernetesClient admin, String binding, String role, String subjectKind, String subject) {
        admin.rbac().clusterRoleBindings().resource(new io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder()
                .withNewMetadata().withName(binding).endMetadata().withNewRoleRef().withApiGroup(RBAC)
                .withKind("ClusterRole").withName(role).endRoleRef().addNewSubject().withKind(subjectKind)
                .withApiGroup(RBAC).withName(subject).endSubject().build()).create();
    }

    /** Binds the ClusterRole {@code role} to a {@code User} or {@code Group} in {@code namespace}, as {@code binding}. */
    public static void bindInNamespace(KubernetesClient admin, String namespace, String binding, String role,
                                       String subjectKind, String subject) {
        admin.rbac().roleBindings().inNamespace(namespace).resource(new io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder()
                .withNewMetadata().withName(binding).endMetadata().withNewRoleRef().withApiGroup(RBAC)
                .withKind("ClusterRole").withName(role).endRoleRef().addNewSubject().withKind(subjectKind)
                .withApiGroup(RBAC).withName(subject).endSubject().build()).create();
    }

    /** A Deployment of {@code replicas} pods labelled {@code app=name}, one container {@code name} of {@code image}. */
    public static io.fabric8.kubernetes.api.model.apps.Deployment deployment(String name, int replicas, String image) {
        return new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().addToMatchLabels("app", name).endSelector()
                .withNewTemplate().withNewMetadata().addToLabels("app", name).endMetadata().withNewSpec()
                .addNewContainer().withName(name).withImage(image).endContainer().endSpec().endTemplate()
                .endSpec().build();
    }

    /** A client as {@code user}; the caller closes it. */
    public KubernetesClient client(String user) {
        return new KubernetesClientBuilder().withConfig(config(user)).build();
    }
}
