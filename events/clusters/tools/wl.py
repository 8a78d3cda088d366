"""Workload-level helpers shared by the namespace modules."""
from datetime import timedelta

import builders as B
from k8s import ECR, cstatus, running, template, ts, pod_spec, container


def labels(name, part_of, version, component="backend"):
    return {"app.kubernetes.io/name": name, "app.kubernetes.io/part-of": part_of,
            "app.kubernetes.io/version": version, "app.kubernetes.io/component": component,
            "app.kubernetes.io/managed-by": "Helm"}


def tmpl_labels(name, part_of, version):
    return {"app.kubernetes.io/name": name, "app.kubernetes.io/part-of": part_of, "app.kubernetes.io/version": version}


def ecr(repo, tag):
    return "%s/%s:%s" % (ECR, repo, tag)


def pod_name(c, rs):
    return rs["metadata"]["name"] + "-" + c.safe(5)


def running_pod(c, ns, rs, node, created, ready=True, restarts=0, last=None, name=None, started=None,
                ready_at=None):
    """A Running pod of a ReplicaSet/StatefulSet/DaemonSet; all containers running."""
    tmpl = rs["spec"]["template"]
    name = name or pod_name(c, rs)
    started = started or created + timedelta(seconds=c.rng.randint(3, 20))
    sts = [cstatus(c, ct, running(started), ready, restarts=restarts, last=last, started=True)
           for ct in tmpl["spec"]["containers"]]
    if ready:
        conds = B.conds_ready(created, started, ready_at)
    else:
        conds = B.conds_not_ready(created, started, ready_at or started,
                                  [ct["name"] for ct in tmpl["spec"]["containers"]])
    return B.pod(c, ns, name, rs, tmpl, node, created, "Running", conds, sts)


def pod_events_started(c, p, node, when, container_name, image, pulled=True):
    """Normal Scheduled/Pulled/Created/Started events for a pod that started recently."""
    host = node["metadata"]["name"]
    fp = "spec.containers{%s}" % container_name
    B.event(c, p, "Scheduled", "Successfully assigned %s/%s to %s" % (p["metadata"]["namespace"], p["metadata"]["name"], host),
            first=when, component="default-scheduler")
    if pulled:
        B.event(c, p, "Pulling", 'Pulling image "%s"' % image, first=when + timedelta(seconds=1), host=host, field_path=fp)
        B.event(c, p, "Pulled", 'Successfully pulled image "%s" in 2.481s (2.481s including waiting). Image size: '
                "%d bytes." % (image, c.rng.randint(40_000_000, 260_000_000)),
                first=when + timedelta(seconds=4), host=host, field_path=fp)
    else:
        B.event(c, p, "Pulled", 'Container image "%s" already present on machine' % image,
                first=when + timedelta(seconds=1), host=host, field_path=fp)
    B.event(c, p, "Created", "Created container %s" % container_name, first=when + timedelta(seconds=5), host=host,
            field_path=fp)
    B.event(c, p, "Started", "Started container %s" % container_name, first=when + timedelta(seconds=5), host=host,
            field_path=fp)
