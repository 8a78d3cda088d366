package io.opsagent.core.tools;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.opsagent.core.agent.model.ScriptedChatModel;
import org.junit.jupiter.api.Test;

class SchemaValidatorTest {
    static final ObjectNode SCHEMA = Schema.object().string("name", "n").integer("limit", "l", 1, 10)
            .enumeration("level", "lv", "error", "warn").strings("keywords", "k").bool("previous", "p")
            .require("name").build();

    static java.util.List<String> check(String json) {
        return SchemaValidator.validate(SCHEMA, ScriptedChatModel.parse(json));
    }

    @Test
    void acceptsValidArguments() {
        assertThat(check("{\"name\":\"x\",\"limit\":3,\"level\":\"warn\",\"keywords\":[\"a\"],\"previous\":true}")).isEmpty();
        assertThat(check("{\"name\":\"x\",\"limit\":null}")).isEmpty();
    }

    @Test
    void namesEachProblem() {
        assertThat(check("{}")).containsExactly("missing required argument 'name'");
        assertThat(check("{\"name\":1}")).containsExactly("'name' must be a string, got number 1");
        assertThat(check("{\"name\":\"x\",\"limit\":\"3\"}")).containsExactly("'limit' must be an integer, got string \"3\"");
        assertThat(check("{\"name\":\"x\",\"limit\":11}")).containsExactly("'limit' must be at most 10, got 11");
        assertThat(check("{\"name\":\"x\",\"level\":\"info\"}")).containsExactly("'level' must be one of error, warn, got \"info\"");
        assertThat(check("{\"name\":\"x\",\"keywords\":[\"a\",2]}")).containsExactly("'keywords'[1] must be a string, got number 2");
        assertThat(check("{\"name\":\"x\",\"extra\":1}")).singleElement().asString()
                .startsWith("unknown argument 'extra' (accepted: name, limit, level, keywords, previous)");
    }

    @Test
    void capKeepsTheLimitAndSaysWhatWasCut() {
        String capped = ToolRegistry.cap("y".repeat(5000), 300);
        assertThat(capped).hasSize(300).endsWith("more characters; narrow the query]").contains("4");
        assertThat(ToolRegistry.cap("short", 300)).isEqualTo("short");
    }
}
