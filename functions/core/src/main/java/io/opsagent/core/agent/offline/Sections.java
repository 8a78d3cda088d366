package io.opsagent.core.agent.offline;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An alert investigation's question names the sections its answer must have ("… Answer in sections: What fired; Root
 * cause with evidence; Impact; Next steps; Proposed actions."). The offline analyst's answer is arranged into them:
 * what fired from the question, the root cause and its evidence from the composed answer, the impact from its state
 * line, the next steps from its fix, and the proposals the run made (none by itself: an alert proposes nothing
 * without a human asking). Questions without sections are answered as composed.
 */
final class Sections {
    private static final Pattern ASKED = Pattern.compile("Answer in sections: ([^.]+)\\.");
    private static final Pattern FIRED = Pattern.compile("^(Alert .+? fired(?::[^.]*)?)\\.");
    private static final Pattern FIX = Pattern.compile("\\n\\*\\*Fix\\*\\*\\n((?:\\d+\\. .*\\n?)+)");
    private static final Pattern STATE = Pattern.compile("\\n_State: [^\\n]*_[^\\n]*");

    private Sections() {
    }

    static String apply(String question, String answer) {
        Matcher asked = question == null ? null : ASKED.matcher(question);
        if (asked == null || !asked.find()) return answer;
        List<String> sections = new ArrayList<>();
        for (String s : asked.group(1).split(";")) if (!s.isBlank()) sections.add(s.strip());
        Matcher fired = FIRED.matcher(question.strip());
        String what = fired.find() ? fired.group(1) + "." : question.strip().split("\\. ")[0] + ".";
        String body = answer.strip();
        String steps = null;
        Matcher fix = FIX.matcher(body);
        if (fix.find()) {
            steps = fix.group(1).strip();
            body = (body.substring(0, fix.start()) + "\n" + body.substring(fix.end())).strip();
        }
        String impact = null;
        Matcher state = STATE.matcher("\n" + body);
        if (state.find()) {
            impact = state.group().strip();
            body = ("\n" + body).replace(state.group(), "").strip();
        }
        StringBuilder out = new StringBuilder();
        for (String s : sections) {
            String k = s.toLowerCase(java.util.Locale.ROOT);
            out.append("## ").append(s).append("\n\n");
            if (k.startsWith("what fired")) out.append(what);
            else if (k.startsWith("root cause")) out.append(body.replaceAll("(?m)^## ", "### "));
            else if (k.startsWith("impact")) out.append(impact != null ? impact : "Not measured by this investigation; the evidence above says what is affected.");
            else if (k.startsWith("next steps")) out.append(steps != null ? steps : "Ask OpsAgent how to fix it, or open the workload's evidence.");
            else if (k.startsWith("proposed actions")) out.append("None yet: an alert investigation proposes nothing by itself. Ask OpsAgent to apply the fix; "
                    + "it is carried out once a human approves the exact change.");
            else out.append("—");
            out.append("\n\n");
        }
        return out.toString().strip() + "\n";
    }
}
