package io.opsagent.core.diagnosis.analyzers;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.opsagent.core.cluster.ObjectKey;
import io.opsagent.core.diagnosis.AnalysisContext;
import io.opsagent.core.diagnosis.Analyzer;
import io.opsagent.core.diagnosis.Category;
import io.opsagent.core.diagnosis.EvidenceSource;
import io.opsagent.core.diagnosis.Finding;
import io.opsagent.core.diagnosis.FindingBuilder;
import io.opsagent.core.diagnosis.LogExplanation;
import io.opsagent.core.diagnosis.PodContainer;
import io.opsagent.core.diagnosis.Severity;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Jobs that failed (BackoffLimitExceeded, DeadlineExceeded) or keep failing, with the exit code and log line of a
 * failed pod. A failed run of a CronJob whose later run succeeded is only a warning.
 */
public final class JobFailedAnalyzer implements Analyzer {

    @Override
    public List<Finding> analyze(AnalysisContext ctx) {
        List<Finding> out = new ArrayList<>();
        for (Job job : ctx.snapshot().jobs()) {
            if (job.getStatus() == null) continue;
            List<JobCondition> conds = job.getStatus().getConditions() == null ? List.of() : job.getStatus().getConditions();
            int idx = -1;
            boolean complete = false;
            for (int i = 0; i < conds.size(); i++) {
                JobCondition c = conds.get(i);
                if ("True".equals(c.getStatus()) && ("Failed".equals(c.getType()) || "FailureTarget".equals(c.getType()))) idx = i;
                if ("True".equals(c.getStatus()) && ("Complete".equals(c.getType()) || "SuccessCriteriaMet".equals(c.getType()))) complete = true;
            }
            int failed = job.getStatus().getFailed() == null ? 0 : job.getStatus().getFailed();
            if (complete || idx < 0 && failed == 0) continue;
            out.add(finding(ctx, job, idx < 0 ? null : conds.get(idx), idx, failed));
        }
        return out;
    }

    private Finding finding(AnalysisContext ctx, Job job, JobCondition cond, int condIdx, int failed) {
        String ns = job.getMetadata().getNamespace();
        String name = job.getMetadata().getName();
        ObjectKey key = AnalysisContext.key(job);
        List<Pod> pods = ctx.podsOf(key);
        Optional<CronJob> cron = ctx.snapshot().cronJobs().stream().filter(c -> ctx.jobsOf(c).contains(job)).findFirst();
        boolean laterSuccess = cron.isPresent() && ctx.jobsOf(cron.get()).stream()
                .filter(j -> j != job && later(j, job)).anyMatch(JobFailedAnalyzer::succeeded);
        Severity sev = cond == null ? Severity.WARNING : laterSuccess ? Severity.WARNING : Severity.CRITICAL;

        StringBuilder s = new StringBuilder("Job " + ns + "/" + name);
        cron.ifPresent(c -> s.append(" (CronJob ").append(c.getMetadata().getName()).append(")"));
        if (cond != null) s.append(" failed (").append(cond.getReason()).append(": ").append(cond.getMessage()).append(")");
        else s.append(" is failing: ").append(failed).append(" failed pod(s) so far");
        PodContainer failedContainer = null;
        for (Pod p : pods) {
            for (PodContainer c : PodContainer.of(p)) {
                if (c.latestTermination() != null && ContainerStates.exitCode(c) != 0) {
                    failedContainer = c;
                    break;
                }
            }
            if (failedContainer != null) break;
        }
        Optional<LogExplanation> why = Optional.empty();
        if (failedContainer != null) {
            int exit = ContainerStates.exitCode(failedContainer);
            s.append("; pod ").append(failedContainer.podName()).append(" container ").append(failedContainer.name())
                    .append(" exited with code ").append(exit).append(" (").append(Workloads.exitMeaning(exit)).append(')');
            why = ctx.explainExit(failedContainer.pod(), failedContainer.name());
            why.ifPresent(w -> s.append("; ").append(w.explanation()).append(": ").append(w.quote()));
        }
        if (laterSuccess) s.append("; a later run of the CronJob succeeded");
        s.append('.');

        FindingBuilder b = ctx.finding(Category.JobFailed, sev, key).summary(s.toString())
                .about(pods.stream().map(AnalysisContext::key).toList());
        cron.ifPresent(c -> b.about(AnalysisContext.key(c)));
        if (cond != null) {
            b.evidence(ctx.evidence(job, "status.conditions[" + condIdx + "]", EvidenceSource.STATUS,
                    cond.getType() + "=True (" + cond.getReason() + "): " + cond.getMessage()));
        }
        b.evidence(ctx.evidence(job, "status.failed", EvidenceSource.STATUS, "failed: " + failed
                + (job.getSpec() != null && job.getSpec().getBackoffLimit() != null ? ", backoffLimit: " + job.getSpec().getBackoffLimit() : "")));
        if (failedContainer != null) {
            b.evidence(ctx.evidence(failedContainer.pod(), failedContainer.latestTerminationPath() + ".exitCode",
                    EvidenceSource.STATUS, ContainerStates.describe(failedContainer.latestTermination())));
        }
        why.ifPresent(w -> b.evidence(w.evidence()));
        ctx.warnings(job).stream().limit(1).forEach(e -> b.evidence(ctx.evidence(e)));
        if (failedContainer != null && why.isPresent()) {
            LogFixes.steps(key, failedContainer.name(), why.get()).forEach(b::fix);
        }
        if (cond != null && "DeadlineExceeded".equals(cond.getReason())) {
            b.fix("The Job ran longer than spec.activeDeadlineSeconds: make it faster or raise the deadline in the Job template");
        }
        b.fix("Read the failed pod's log: kubectl logs job/" + name + " -n " + ns);
        b.fix(cron.map(c -> "Run it again once fixed: kubectl create job " + c.getMetadata().getName() + "-manual --from=cronjob/"
                        + c.getMetadata().getName() + " -n " + ns)
                .orElse("Re-run it once fixed: kubectl get job " + name + " -n " + ns + " -o yaml > job.yaml; kubectl delete job "
                        + name + " -n " + ns + "; kubectl apply -f job.yaml (after removing status, selector and controller-uid labels)"));
        return b.build();
    }

    private static boolean succeeded(Job j) {
        return j.getStatus() != null && j.getStatus().getConditions() != null && j.getStatus().getConditions().stream()
                .anyMatch(c -> "Complete".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static boolean later(Job a, Job b) {
        var ta = AnalysisContext.parse(a.getStatus() == null ? null : a.getStatus().getStartTime());
        var tb = AnalysisContext.parse(b.getStatus() == null ? null : b.getStatus().getStartTime());
        if (ta != null && tb != null) return ta.isAfter(tb);
        return a.getMetadata().getName().compareTo(b.getMetadata().getName()) > 0;
    }
}
