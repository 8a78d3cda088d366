#!/usr/bin/env python3
"""Consistency checks for a cluster-info dump directory (default: events/clusters/demo).

Checks: every *.json is a well-formed Kubernetes List whose items carry the matching kind; uids are unique;
ownerReferences resolve (kind, name, uid); pod-template-hash matches the owning ReplicaSet; events point at objects
that exist; every pod has <ns>/<pod>/logs.txt with START/END markers for exactly its containers (init first) and
pods that ran have log lines; endpoints reference existing pods by IP; PVCs, Secrets and ConfigMaps referenced by
pods exist (a missing Secret key is reported as a note: it is the intended ContainerConfigError); the answer key
names existing objects and each evidence substring occurs in that namespace's files. Exit 1 on any error.
Usage: python3 events/clusters/tools/validate.py [DUMP_DIR]
"""
import json
import os
import re
import sys

START = re.compile(r"^==== START logs for container (\S+) of pod ([^/\s]+)/(\S+) ====$")
END = re.compile(r"^==== END logs for container (\S+) of pod ([^/\s]+)/(\S+) ====$")


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "..", "demo"))
    errors, notes = [], []
    objs = {}  # (ns, kind, name) -> obj
    uids = {}
    texts = {}  # ns -> concatenated text of its files (for evidence checks)

    def load(path, ns):
        rel = os.path.relpath(path, root)
        with open(path, encoding="utf-8") as f:
            raw = f.read()
        texts[ns] = texts.get(ns, "") + raw
        doc = json.loads(raw)
        if not (isinstance(doc, dict) and doc.get("kind", "").endswith("List") and isinstance(doc.get("items"), list)
                and doc.get("apiVersion") and "resourceVersion" in doc.get("metadata", {})):
            errors.append("%s: not a Kubernetes List" % rel)
            return
        kind = doc["kind"][:-4]
        for i, it in enumerate(doc["items"]):
            md = it.get("metadata", {})
            if it.get("kind") != kind:
                errors.append("%s items[%d]: kind %s in a %s" % (rel, i, it.get("kind"), doc["kind"]))
            for k in ("name", "uid", "resourceVersion", "creationTimestamp"):
                if not md.get(k):
                    errors.append("%s items[%d]: metadata.%s missing" % (rel, i, k))
            if ns and md.get("namespace") != ns:
                errors.append("%s items[%d]: namespace %s" % (rel, i, md.get("namespace")))
            if md.get("uid") in uids:
                errors.append("%s items[%d]: duplicate uid %s (also %s)" % (rel, i, md["uid"], uids[md["uid"]]))
            uids[md.get("uid")] = "%s/%s" % (kind, md.get("name"))
            objs[(ns, kind, md.get("name"))] = it

    load(os.path.join(root, "nodes.json"), None)
    namespaces = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))
    for ns in namespaces:
        for f in sorted(os.listdir(os.path.join(root, ns))):
            if f.endswith(".json"):
                try:
                    load(os.path.join(root, ns, f), ns)
                except json.JSONDecodeError as e:
                    errors.append("%s/%s: malformed JSON: %s" % (ns, f, e))

    # owner references
    for (ns, kind, name), o in objs.items():
        for ref in o["metadata"].get("ownerReferences", []):
            tgt = objs.get((ns, ref["kind"], ref["name"]))
            if tgt is None or tgt["metadata"]["uid"] != ref["uid"]:
                errors.append("%s %s/%s: ownerReference %s/%s does not resolve" % (ns, kind, name, ref["kind"], ref["name"]))
            if not ref.get("controller"):
                errors.append("%s %s/%s: ownerReference without controller:true" % (ns, kind, name))
            if kind == "Pod" and ref["kind"] == "ReplicaSet":
                h = o["metadata"]["labels"].get("pod-template-hash")
                if not ref["name"].endswith("-" + str(h)):
                    errors.append("%s pod %s: pod-template-hash %s vs owner %s" % (ns, name, h, ref["name"]))
    # events
    for (ns, kind, name), o in objs.items():
        if kind != "Event":
            continue
        io = o["involvedObject"]
        key = (None if io["kind"] == "Node" else io.get("namespace"), io["kind"], io["name"])
        tgt = objs.get(key)
        if tgt is None:
            errors.append("%s event %s: involvedObject %s/%s not in dump" % (ns, name, io["kind"], io["name"]))
        elif io["kind"] != "Node" and tgt["metadata"]["uid"] != io["uid"]:
            errors.append("%s event %s: uid mismatch for %s/%s" % (ns, name, io["kind"], io["name"]))
        for k in ("reason", "message", "type", "count", "firstTimestamp", "lastTimestamp", "source"):
            if k not in o:
                errors.append("%s event %s: %s missing" % (ns, name, k))
    # pods: logs, volumes, env references
    log_lines = {}
    for (ns, kind, name), p in objs.items():
        if kind != "Pod":
            continue
        path = os.path.join(root, ns, name, "logs.txt")
        if not os.path.isfile(path):
            errors.append("%s/%s: logs.txt missing" % (ns, name))
            continue
        with open(path, encoding="utf-8") as f:
            lines = f.read().split("\n")
        texts[ns] += "\n".join(lines)
        seen, cur, n = [], None, 0
        for ln in lines:
            m, e = START.match(ln), END.match(ln)
            if m:
                if cur or (m.group(2), m.group(3)) != (ns, name):
                    errors.append("%s/%s: bad START marker %r" % (ns, name, ln))
                cur = m.group(1)
                seen.append(cur)
            elif e:
                if e.group(1) != cur:
                    errors.append("%s/%s: END for %s while in %s" % (ns, name, e.group(1), cur))
                cur = None
            elif cur:
                n += 1
        want = [c["name"] for c in p["spec"].get("initContainers", [])] + [c["name"] for c in p["spec"]["containers"]]
        if seen != want:
            errors.append("%s/%s: log sections %s, containers %s" % (ns, name, seen, want))
        ran = any("running" in s["state"] or "terminated" in s["state"] or s.get("lastState")
                  for s in p["status"].get("containerStatuses", []) + p["status"].get("initContainerStatuses", []))
        if ran and n == 0:
            errors.append("%s/%s: pod ran but its logs are empty" % (ns, name))
        log_lines[(ns, name)] = n
        for v in p["spec"].get("volumes", []):
            if "persistentVolumeClaim" in v and (ns, "PersistentVolumeClaim", v["persistentVolumeClaim"]["claimName"]) not in objs:
                errors.append("%s/%s: PVC %s missing" % (ns, name, v["persistentVolumeClaim"]["claimName"]))
            if "configMap" in v and (ns, "ConfigMap", v["configMap"]["name"]) not in objs:
                errors.append("%s/%s: ConfigMap %s missing" % (ns, name, v["configMap"]["name"]))
        for c in p["spec"]["containers"] + p["spec"].get("initContainers", []):
            for e in c.get("env", []):
                vf = e.get("valueFrom", {})
                for refk, kind2 in (("secretKeyRef", "Secret"), ("configMapKeyRef", "ConfigMap")):
                    if refk in vf:
                        tgt = objs.get((ns, kind2, vf[refk]["name"]))
                        if tgt is None:
                            errors.append("%s/%s: %s %s missing" % (ns, name, kind2, vf[refk]["name"]))
                        elif vf[refk]["key"] not in tgt.get("data", {}):
                            notes.append("%s/%s: key %s not in %s %s (intended?)" % (ns, name, vf[refk]["key"], kind2,
                                                                                    vf[refk]["name"]))
    # endpoints
    ips = {(ns, p["status"].get("podIP")): name for (ns, k, name), p in objs.items() if k == "Pod"}
    for (ns, kind, name), e in objs.items():
        if kind == "Endpoints":
            if (ns, "Service", name) not in objs:
                errors.append("%s endpoints %s: no Service" % (ns, name))
            for s in e.get("subsets", []):
                for a in s.get("addresses", []) + s.get("notReadyAddresses", []):
                    tr = a.get("targetRef")
                    if tr and ips.get((ns, a["ip"])) != tr["name"]:
                        errors.append("%s endpoints %s: %s is not pod %s" % (ns, name, a["ip"], tr["name"]))
    # answer key
    exp_path = root.rstrip(os.sep) + ".expected.json"
    with open(exp_path, encoding="utf-8") as f:
        exp = json.load(f)
    for w in exp["workloads"]:
        if (w["namespace"], w["kind"], w["name"]) not in objs:
            errors.append("EXPECTED: %s %s/%s not in dump" % (w["namespace"], w["kind"], w["name"]))
        hay = texts.get(w["namespace"], "") if w["namespace"] else "".join(texts.values())
        for f in w["expect"]:
            for s in f["evidenceContains"]:
                if s not in hay and json.dumps(s)[1:-1] not in hay:
                    errors.append("EXPECTED %s/%s: %r not found in namespace files" % (w["namespace"], w["name"], s))
    size = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(root) for f in fs)
    nfiles = sum(len(fs) for _, _, fs in os.walk(root))
    for n in notes:
        print("note:", n)
    for e in errors:
        print("ERROR:", e)
    print("%d objects, %d files, %.2f MB, %d log lines in %d logs.txt, %d answer-key entries, %d errors"
          % (len(objs), nfiles, size / 1e6, sum(log_lines.values()), len(log_lines), len(exp["workloads"]), len(errors)))
    if size > 8 * 1024 * 1024:
        print("ERROR: dump larger than 8 MiB")
        return 1
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
