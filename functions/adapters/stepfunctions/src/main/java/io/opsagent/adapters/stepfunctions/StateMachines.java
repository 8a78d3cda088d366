package io.opsagent.adapters.stepfunctions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The definitions in {@code statemachines/} with their {@code ${Name}} placeholders filled, as SAM's
 * DefinitionSubstitutions fill them in AWS. A placeholder without a value is an error naming it.
 */
public final class StateMachines {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}");

    private StateMachines() {
    }

    public static String definition(Path file, Map<String, String> substitutions) throws IOException {
        return substitute(Files.readString(file, StandardCharsets.UTF_8), substitutions, file.toString());
    }

    static String substitute(String asl, Map<String, String> values, String where) {
        Matcher m = PLACEHOLDER.matcher(asl);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = values.get(m.group(1));
            if (v == null) {
                throw new IllegalArgumentException(where + ": no value for ${" + m.group(1) + "} (DefinitionSubstitutions)");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }
}
