"""Namespace `kube-system`: the EKS add-ons every real dump contains (coredns, kube-proxy, aws-node), all healthy.
They are noise the diagnosis must not flag."""
import copy
from datetime import timedelta

import builders as B
import wl
from k8s import ago, container, cstatus, env, exec_probe, http_probe, pod_spec, running, template, terminated, ts
from ns_platform import DS_TOLERATIONS, datetime_of
from ns_shop import avail, progressed

NS = "kube-system"
EKS_ECR = "602401143452.dkr.ecr.eu-west-1.amazonaws.com/eks"


def build(c, nodes, x):
    c.reseed(NS)
    B.namespace_basics(c, NS, ago(days=262))
    c.reseed(NS + "/coredns")
    coredns(c, nodes, x)
    c.reseed(NS + "/kube-proxy")
    daemonset(c, nodes, "kube-proxy", "v1.30.5-eksbuild.2",
              [container("kube-proxy", EKS_ECR + "/kube-proxy:v1.30.5-minimal-eksbuild.2", cpu_req="100m", mem_req=None,
                         mem_lim=None, command=["kube-proxy", "--v=2", "--config=/var/lib/kube-proxy-config/config",
                                                "--hostname-override=$(NODE_NAME)"],
                         env=[{"name": "NODE_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "spec.nodeName"}}}])],
              [], kube_proxy_logs, x)
    c.reseed(NS + "/aws-node")
    daemonset(c, nodes, "aws-node", "v1.18.5",
              [container("aws-node", EKS_ECR + "/amazon-k8s-cni:v1.18.5-eksbuild.1", ports=[("metrics", 61678)],
                         cpu_req="25m", mem_req=None, mem_lim=None,
                         env=[env("AWS_VPC_K8S_CNI_LOGLEVEL", "DEBUG"), env("WARM_ENI_TARGET", "1"),
                              env("ENABLE_PREFIX_DELEGATION", "false")],
                         readiness=exec_probe(["/app/grpc-health-probe", "-addr=:50051", "-connect-timeout=5s",
                                               "-rpc-timeout=5s"], 1, 10),
                         liveness=exec_probe(["/app/grpc-health-probe", "-addr=:50051", "-connect-timeout=5s",
                                              "-rpc-timeout=5s"], 60, 10)),
               container("aws-eks-nodeagent", EKS_ECR + "/aws-network-policy-agent:v1.1.3-eksbuild.1", cpu_req="25m",
                         mem_req=None, mem_lim=None, args=["--enable-ipv6=false", "--enable-network-policy=false"])],
              [container("aws-vpc-cni-init", EKS_ECR + "/amazon-k8s-cni-init:v1.18.5-eksbuild.1", cpu_req="25m",
                         mem_req=None, mem_lim=None, env=[env("DISABLE_TCP_EARLY_DEMUX", "false")])],
              aws_node_logs, x)


def coredns(c, nodes, x):
    name = "coredns"
    image = EKS_ECR + "/coredns:v1.11.3-eksbuild.1"
    ct = container("coredns", image, ports=[("dns", 53), ("metrics", 9153)], cpu_req="100m", mem_req="70Mi",
                   mem_lim="170Mi", args=["-conf", "/etc/coredns/Corefile"],
                   liveness=http_probe("/health", 8080, 60, 10, failure=5, timeout=5),
                   readiness=http_probe("/ready", 8181, 0, 10),
                   mounts=[{"name": "config-volume", "mountPath": "/etc/coredns", "readOnly": True}])
    ct["ports"][0]["protocol"] = "UDP"
    spec = pod_spec([ct], volumes=[{"name": "config-volume", "configMap": {"name": "coredns", "defaultMode": 420,
                                                                           "items": [{"key": "Corefile", "path": "Corefile"}]}}],
                    sa="coredns", tolerations=[{"key": "CriticalAddonsOnly", "operator": "Exists"},
                                               {"key": "node-role.kubernetes.io/control-plane", "effect": "NoSchedule"}])
    spec["priorityClassName"] = "system-cluster-critical"
    spec["priority"] = 2000000000
    spec["dnsPolicy"] = "Default"
    B.configmap(c, NS, "coredns", {"Corefile": ".:53 {\n    errors\n    health {\n        lameduck 5s\n      }\n"
                                   "    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n      pods insecure\n"
                                   "      fallthrough in-addr.arpa ip6.arpa\n    }\n    prometheus :9153\n"
                                   "    forward . /etc/resolv.conf\n    cache 30\n    loop\n    reload\n"
                                   "    loadbalance\n}\n"}, ago(days=262), {"eks.amazonaws.com/component": "coredns",
                                                                           "k8s-app": "kube-dns"})
    labels = {"eks.amazonaws.com/component": "coredns", "k8s-app": "kube-dns"}
    tmpl = template({"eks.amazonaws.com/component": "coredns", "k8s-app": "kube-dns"}, spec)
    h = c.safe(10)
    dep = B.deployment(c, NS, name, labels, tmpl, 2, ago(days=262), 3,
                       B.dep_status(2, 2, 2, 2, [avail(True, ago(days=23), ago(days=262)),
                                                 progressed(name + "-" + h, ago(days=61), ago(days=262))]))
    dep["spec"]["selector"] = {"matchLabels": {"eks.amazonaws.com/component": "coredns", "k8s-app": "kube-dns"}}
    rs = B.replicaset(c, dep, h, 3, 2, 2, 2, ago(days=61))
    rs["spec"]["selector"]["matchLabels"].pop("app.kubernetes.io/name", None)
    pods = []
    for i, n in enumerate(nodes[:2]):
        p = wl.running_pod(c, NS, rs, n, ago(days=61, hours=2, seconds=-20 * i))
        pods.append(p)
        st = datetime_of(p["status"]["containerStatuses"][0]["state"]["running"]["startedAt"])
        c.add_log(NS, p["metadata"]["name"], "coredns", [
            ".:53", "[INFO] plugin/reload: Running configuration SHA512 = 8a7d59126e7f114ab49c6d2613be93d8ef7d408af8ee61a"
            "710210843dc409f03133727e38f64469d9bb180f396c84ebf48a42bde3b3769730865ca9df5eb281c",
            "CoreDNS-1.11.3", "linux/amd64, go1.22.7, a6338e9"])
    svc = B.service(c, NS, "kube-dns", {"eks.amazonaws.com/component": "kube-dns", "k8s-app": "kube-dns",
                                        "kubernetes.io/cluster-service": "true", "kubernetes.io/name": "CoreDNS"},
                    {"k8s-app": "kube-dns"}, [("dns", 53, 53), ("dns-tcp", 53, 53), ("metrics", 9153, 9153)],
                    ago(days=262), "10.100.0.10")
    svc["spec"]["ports"][0]["protocol"] = "UDP"
    B.endpoints(c, svc, pods, ago(days=61))
    x.add(NS, "Deployment", name, [], "Healthy EKS add-on (2/2 ready); present because every real dump has "
          "kube-system.", healthy=True)


def daemonset(c, nodes, name, ver, containers, inits, log_fn, x):
    spec = pod_spec(containers, init_containers=inits, sa=name, tolerations=[{"operator": "Exists"}])
    spec["hostNetwork"] = True
    spec["priorityClassName"] = "system-node-critical"
    spec["priority"] = 2000001000
    labels = {"k8s-app": name}
    tmpl = template(labels, spec)
    rev = c.safe(10)
    ds = {"kind": "DaemonSet", "apiVersion": "apps/v1",
          "metadata": c.meta(name, NS, ago(days=262), labels={"eks.amazonaws.com/component": name, "k8s-app": name},
                             annotations={"deprecated.daemonset.template.generation": "4"}, generation=4),
          "spec": {"selector": {"matchLabels": {"k8s-app": name}}, "template": tmpl,
                   "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": "10%", "maxSurge": 0}},
                   "revisionHistoryLimit": 10},
          "status": {"currentNumberScheduled": 3, "numberMisscheduled": 0, "desiredNumberScheduled": 3,
                     "numberReady": 3, "observedGeneration": 4, "updatedNumberScheduled": 3, "numberAvailable": 3}}
    c.add(NS, "daemonsets", ds)
    for n in nodes:
        t = copy.deepcopy(tmpl)
        t["metadata"]["labels"].update({"controller-revision-hash": rev, "pod-template-generation": "4"})
        t["spec"]["affinity"] = {"nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {
            "nodeSelectorTerms": [{"matchFields": [{"key": "metadata.name", "operator": "In",
                                                    "values": [n["metadata"]["name"]]}]}]}}}
        t["spec"]["tolerations"] = [{"operator": "Exists"}] + DS_TOLERATIONS
        created = datetime_of(n["metadata"]["creationTimestamp"]) + timedelta(seconds=20)
        p = wl.running_pod(c, NS, {"spec": {"template": t}, "kind": "DaemonSet", "apiVersion": "apps/v1",
                                   "metadata": ds["metadata"]}, n, created, name=name + "-" + c.safe(5))
        from builders import node_ip
        p["status"]["podIP"] = node_ip(n)
        p["status"]["podIPs"] = [{"ip": node_ip(n)}]
        st = created + timedelta(seconds=2)
        if inits:
            p["status"]["initContainerStatuses"] = [
                cstatus(c, ic, terminated("Completed", 0, st, st + timedelta(seconds=1), c.container_id()), True,
                        started=False) for ic in t["spec"]["initContainers"]]
        for cname, lines in log_fn(c, st, n):
            c.add_log(NS, p["metadata"]["name"], cname, lines)
    x.add(NS, "DaemonSet", name, [], "Healthy EKS add-on (3/3 ready, one pod per node).", healthy=True)


def klog(t, sev, src, msg):
    return "%s%s %s       1 %s] %s" % (sev, t.strftime("%m%d"), t.strftime("%H:%M:%S.%f"), src, msg)


def kube_proxy_logs(c, st, n):
    ip = n["status"]["addresses"][0]["address"]
    msgs = [("server_linux.go:66", '"Using iptables proxy"'),
            ("server.go:677", '"Successfully retrieved node IP(s)" IPs=["%s"]' % ip),
            ("conntrack.go:60", '"Setting nf_conntrack_max" nfConntrackMax=131072'),
            ("conntrack.go:121", '"Set sysctl" entry="net/netfilter/nf_conntrack_tcp_timeout_close_wait" value=3600'),
            ("server.go:234", '"kube-proxy running in single-stack mode" ipFamily="IPv4"'),
            ("server_linux.go:169", '"Using iptables Proxier"'),
            ("proxier.go:255", '"Setting route_localnet=1 to allow node-ports on localhost; to change this either '
             'disable iptables.localhostNodePorts (--iptables-localhost-nodeports) or set nodePortAddresses '
             '(--nodeport-addresses) to filter loopback addresses"'),
            ("server.go:860", '"Version info" version="v1.30.5-eks-ce1d5eb"'),
            ("config.go:197", '"Starting service config controller"'),
            ("shared_informer.go:313", "Waiting for caches to sync for service config"),
            ("config.go:104", '"Starting endpoint slice config controller"'),
            ("shared_informer.go:313", "Waiting for caches to sync for endpoint slice config"),
            ("config.go:326", '"Starting node config controller"'),
            ("shared_informer.go:320", "Caches are synced for node config"),
            ("shared_informer.go:320", "Caches are synced for service config"),
            ("shared_informer.go:320", "Caches are synced for endpoint slice config")]
    out = []
    t = st
    for src, m in msgs:
        t += timedelta(milliseconds=c.rng.randint(1, 60))
        out.append(klog(t, "I", src, m))
    return [("kube-proxy", out)]


def aws_node_logs(c, st, n):
    def j(t, caller, msg):
        return '{"level":"info","ts":"%s","caller":"%s","msg":"%s"}' % (
            t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (t.microsecond // 1000), caller, msg)
    init = ["Copying CNI plugin binaries ... ", "Installed /host/opt/cni/bin/loopback",
            "Installed /host/opt/cni/bin/portmap", "Installed /host/opt/cni/bin/bandwidth",
            "Installed /host/opt/cni/bin/host-local", "Installed /host/opt/cni/bin/aws-cni-support.sh",
            "Copying config file ... ", "CNI init container done"]
    t = st + timedelta(seconds=2)
    main = []
    for caller, msg in [("entrypoint.sh", "Validating env variables ..."), ("entrypoint.sh", "Install CNI binaries.."),
                        ("entrypoint.sh", "Starting IPAM daemon in the background ... "),
                        ("entrypoint.sh", "Checking for IPAM connectivity ... "),
                        ("entrypoint.sh", "Retrying waiting for IPAM-D"),
                        ("entrypoint.sh", "Copying config file ... "),
                        ("entrypoint.sh", "Successfully copied CNI plugin binary and config file."),
                        ("entrypoint.sh", "Foregrounding IPAM daemon ...")]:
        t += timedelta(milliseconds=c.rng.randint(10, 900))
        main.append(j(t, caller, msg))
    agent = ['{"level":"info","ts":"%s","logger":"setup","msg":"Starting controllers"}' % ts(t),
             '{"level":"info","ts":"%s","logger":"setup","msg":"Network Policy is disabled, exiting"}' % ts(t)]
    return [("aws-vpc-cni-init", init), ("aws-node", main), ("aws-eks-nodeagent", agent)]
