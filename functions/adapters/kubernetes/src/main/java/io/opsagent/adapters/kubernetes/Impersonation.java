package io.opsagent.adapters.kubernetes;

import io.fabric8.kubernetes.client.Config;
import java.util.List;

/**
 * The end user the API calls are made as: the client sends {@code Impersonate-User} and one
 * {@code Impersonate-Group} header per group, so the cluster's RBAC applies to that user. The client's own identity
 * needs the {@code impersonate} verb on {@code users} and {@code groups} (see docs/kubernetes.md).
 */
public record Impersonation(String user, List<String> groups) {

    public Impersonation {
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("impersonated user must not be blank");
        }
        groups = groups == null ? List.of() : List.copyOf(groups);
    }

    /** Sets the impersonation fields of {@code config} (in place) and returns it. */
    public Config applyTo(Config config) {
        config.setImpersonateUsername(user);
        config.setImpersonateGroups(groups.toArray(String[]::new));
        return config;
    }
}
