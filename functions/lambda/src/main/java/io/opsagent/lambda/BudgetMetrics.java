package io.opsagent.lambda;

import io.opsagent.core.budget.Budget;
import io.opsagent.core.budget.Budgets;
import io.opsagent.core.budget.Usage;
import software.amazon.lambda.powertools.metrics.Metrics;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

/**
 * After each budget hold: {@value #USED_PERCENT} (the larger of the token and cost shares, in percent) as an EMF
 * document, the budget's scope as metadata (not a dimension: one series, whoever the user). The template's
 * {@code BudgetUsageAlarm} fires when it reaches 80.
 */
final class BudgetMetrics {
    static final String USED_PERCENT = "BudgetUsedPercent";
    private static final System.Logger LOG = System.getLogger("io.opsagent.lambda.metrics");

    private BudgetMetrics() {
    }

    static void record(Metrics metrics, Budget b, Usage u) {
        try {
            double pct = Budgets.share(b, u) * 100;
            metrics.flushMetrics(m -> {
                m.addMetric(USED_PERCENT, Math.round(pct * 10) / 10.0, MetricUnit.PERCENT);
                m.addMetadata("budget", b.scope());
                m.addMetadata("day", u.day());
            });
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "budget metric not recorded: " + e);
        }
    }
}
