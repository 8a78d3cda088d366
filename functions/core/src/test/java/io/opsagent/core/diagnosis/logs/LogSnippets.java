package io.opsagent.core.diagnosis.logs;

import io.opsagent.core.cluster.ContainerLog;
import io.opsagent.core.cluster.LogLine;
import java.util.ArrayList;
import java.util.List;

/** Builds container logs from text for tests. */
final class LogSnippets {
    private LogSnippets() {
    }

    static ContainerLog log(String text) {
        return log(text, false);
    }

    static ContainerLog previous(String text) {
        return log(text, true);
    }

    static ContainerLog log(String text, boolean previous) {
        String[] parts = text.split("\n", -1);
        int n = parts.length;
        if (n > 0 && parts[n - 1].isEmpty()) {
            n--;
        }
        List<LogLine> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            lines.add(new LogLine(i + 1, parts[i]));
        }
        return new ContainerLog("shop", "api-7d9f8c6b5-x2k4p", "api", previous, "shop/api-7d9f8c6b5-x2k4p/logs.txt", lines);
    }

    /** {@code count} lines of ordinary INFO chatter, as a Spring Boot service would write. */
    static String chatter(int count, int startSecond) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            int s = startSecond + i;
            String ts = String.format("2026-11-21 10:%02d:%02d.%03d", (s / 60) % 60, s % 60, (i * 37) % 1000);
            switch (i % 4) {
                case 0 -> sb.append(ts).append("  INFO 1 --- [nio-8080-exec-").append(i % 10)
                        .append("] c.e.shop.OrderController : GET /api/orders/").append(1000 + i).append(" took ").append(i % 90).append("ms\n");
                case 1 -> sb.append(ts).append(" DEBUG 1 --- [   scheduling-1] c.e.shop.CacheRefresher : refreshed 42 entries\n");
                case 2 -> sb.append(ts).append("  INFO 1 --- [nio-8080-exec-").append(i % 10)
                        .append("] c.e.shop.CartService : cart ").append(77 + i).append(" updated with 3 items\n");
                default -> sb.append(ts).append("  INFO 1 --- [nio-8080-exec-1] o.a.c.c.C.[Tomcat].[localhost] : GET /actuator/health 200\n");
            }
        }
        return sb.toString();
    }
}
