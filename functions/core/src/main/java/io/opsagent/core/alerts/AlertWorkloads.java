package io.opsagent.core.alerts;

import java.util.regex.Pattern;

/** Names a pod's owner from the pod's name, the way its controller made it. */
final class AlertWorkloads {
    /** A Deployment's pod: {@code name-<pod-template-hash>-<5>}; a StatefulSet's: {@code name-<ordinal>}; a Job's: {@code name-<5>}. */
    private static final Pattern DEPLOYMENT_POD = Pattern.compile("(.+)-[a-z0-9]{6,10}-[a-z0-9]{5}");
    private static final Pattern ORDINAL_POD = Pattern.compile("(.+)-\\d+");
    private static final Pattern JOB_POD = Pattern.compile("(.+)-[a-z0-9]{5}");

    private AlertWorkloads() {
    }

    static String ownerOfPod(String pod) {
        for (Pattern p : new Pattern[] {DEPLOYMENT_POD, ORDINAL_POD, JOB_POD}) {
            var m = p.matcher(pod);
            if (m.matches()) return m.group(1);
        }
        return pod;
    }
}
