package io.opsagent.core.tools.actions;

import io.opsagent.core.tools.Tool;
import java.util.List;

/**
 * The write tools. Each only proposes: a proposal changes nothing until a human approves its exact action
 * ({@link io.opsagent.core.actions.ActionService}).
 */
public final class ActionTools {
    private ActionTools() {
    }

    public static List<Tool> all() {
        return List.of(new ProposeChangeTool(), new ProposeFixTool());
    }
}
