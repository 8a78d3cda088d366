"""Namespace `payments`."""
import builders as B
from k8s import ago

NS = "payments"


def build(c, nodes, x):
    B.namespace_basics(c, NS, ago(days=200))
