package io.opsagent.app.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.budget.Budgets;
import java.io.IOException;

/**
 * {@code GET /api/budget}: the caller's own budgets of model use today: each budget's limits, what is used (and held
 * by turns going on), what remains, the share used and when it resets. No budget configured: an empty list.
 * {@code ?user=}: an admin reads the budgets of a member of their projects (anyone else: 404).
 */
final class BudgetRoutes {
    private final AppContext app;

    BudgetRoutes(AppContext app) {
        this.app = app;
    }

    void register(Router router) {
        router.add("GET", "/api/budget", this::mine);
    }

    private void mine(Request r) throws IOException {
        String caller = r.user();
        String user = caller;
        String other = r.query("user");
        if (other != null && !other.equals(caller)) {
            // an admin reads the budgets of their projects' members; anyone else: as if the user did not exist
            var p = Visibility.projects(app);
            boolean admin = p != null && p.all().stream().anyMatch(pr -> pr.roleOf(caller, r.groups()) == io.opsagent.core.access.Role.ADMIN
                    && pr.users().containsKey(other));
            if (!admin) throw ApiError.notFound("no user " + Params.clip(other, 64));
            user = other;
        }
        ObjectNode out = Json.object();
        ArrayNode items = out.putArray("budgets");
        Budgets b = app.engine().budgets();
        if (b != null) {
            for (Budgets.Status st : b.status(user)) items.add(view(st));
            // the budgets of the projects the caller administers (their usage today), when it is the caller's own view
            ArrayNode projects = out.putArray("projects");
            var p = Visibility.projects(app);
            if (p != null && user.equals(caller)) {
                p.of(caller, r.groups()).forEach((pr, role) -> {
                    if (role == io.opsagent.core.access.Role.ADMIN && pr.budget() != null) {
                        projects.add(view(b.status(pr.budget())).put("project", pr.name()));
                    }
                });
            }
        }
        r.json(200, out);
    }

    /** A budget with today's use: limits, used, left, the share used, when it resets. */
    static ObjectNode view(Budgets.Status st) {
        var budget = st.budget();
        var used = st.usage();
        ObjectNode o = Json.object().put("scope", budget.scope()).put("day", used.day()).put("resetsAt", st.resetsAt().toString());
        if (budget.tokensPerDay() > 0) {
            o.put("tokensPerDay", budget.tokensPerDay()).put("tokensUsed", used.tokens())
                    .put("tokensLeft", Math.max(0, budget.tokensPerDay() - used.tokens()))
                    .put("tokensPercent", Math.round(1000.0 * used.tokens() / budget.tokensPerDay()) / 10.0);
        }
        if (budget.requestsPerMinute() > 0) o.put("requestsPerMinute", budget.requestsPerMinute());
        if (budget.concurrentRuns() > 0) o.put("concurrentRuns", budget.concurrentRuns());
        if (budget.microUsdPerDay() > 0) {
            o.put("usdPerDay", budget.microUsdPerDay() / 1e6).put("usdUsed", used.microUsd() / 1e6)
                    .put("usdLeft", Math.max(0, budget.microUsdPerDay() - used.microUsd()) / 1e6)
                    .put("usdPercent", Math.round(1000.0 * used.microUsd() / budget.microUsdPerDay()) / 10.0);
        }
        return o;
    }
}
