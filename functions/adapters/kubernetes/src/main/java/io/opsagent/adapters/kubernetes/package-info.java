/** Kubernetes live access: snapshots, pod logs, EKS authentication, impersonation and write operations. */
package io.opsagent.adapters.kubernetes;
