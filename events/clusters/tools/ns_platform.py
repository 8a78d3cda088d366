"""Namespace `platform`."""
import builders as B
from k8s import ago

NS = "platform"


def build(c, nodes, x):
    B.namespace_basics(c, NS, ago(days=200))
