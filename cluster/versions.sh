# Pinned versions of the local cluster (sourced by cluster/build and cluster/cluster).
# Changing one changes the cache key: the binaries are built again on next use.
K8S_VERSION=v1.36.3      # kube-apiserver, kube-controller-manager, kube-scheduler (k8s.io/kubernetes)
ETCD_VERSION=v3.6.8      # the version k8s v1.36.3 pins; Debian's 3.4 is too old for 1.36 watches
KWOK_VERSION=v0.8.0      # simulated nodes and pod status (built on client-go v0.36.1)
GO_MIN=1.21              # oldest go that can fetch a newer toolchain itself (GOTOOLCHAIN)
GO_TOOLCHAIN=go1.26.8    # k8s v1.36 needs go >= 1.26.0; fetched through the Go module proxy when older

# Where the built binaries are kept, outside the checkout (override with OPSAGENT_CLUSTER_CACHE).
cluster_cache_root() {
  echo "${OPSAGENT_CLUSTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/opsagent/cluster}"
}
