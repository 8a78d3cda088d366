package io.opsagent.core.tools;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** A read tool: its declaration and what it does. Arguments arrive already validated against the schema. */
public interface Tool {

    ToolSpec spec();

    /**
     * Runs the tool. A problem the model can fix (unknown pod, bad time) is returned as {@link ToolResult#error};
     * an exception is turned into a tool error by the registry.
     */
    ToolResult call(ObjectNode args, ToolContext context) throws Exception;
}
