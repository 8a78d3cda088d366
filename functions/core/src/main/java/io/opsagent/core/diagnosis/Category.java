package io.opsagent.core.diagnosis;

/**
 * Stable failure categories. Names are a public contract (JSON output, stored findings, UI):
 * a category may be added, none may be renamed.
 */
public enum Category {
    OOMKilled,
    CrashLoopBackOff,
    ImagePullError,
    ContainerConfigError,
    Unschedulable,
    VolumeError,
    ProbeFailure,
    InitContainerFailure,
    RolloutStuck,
    ServiceNoEndpoints,
    JobFailed,
    NodeProblem,
    Evicted,
    QuotaExceeded,
    HPALimited,
    AppError
}
