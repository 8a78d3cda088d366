package io.opsagent.core.agent.model;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A tool as a model sees it: name, description and JSON-Schema of the parameters (Bedrock {@code toolSpec},
 * OpenAI {@code function}).
 */
public record ToolDefinition(String name, String description, ObjectNode parameters) {
}
