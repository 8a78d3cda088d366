package io.opsagent.core.input.text;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.opsagent.core.cluster.TextOrigin;
import java.util.ArrayList;
import java.util.List;

/** What the parsers found in the evidence so far: objects and events with their origins, logs, skipped parts. */
final class Collected {
    /** An object (or event) and where it was read; {@code tableRow} marks the minimal view of a get table. */
    record Obj(HasMetadata object, TextOrigin origin, boolean tableRow) {
        Obj(HasMetadata object, TextOrigin origin) {
            this(object, origin, false);
        }
    }

    final List<Obj> objects = new ArrayList<>();
    final List<Obj> events = new ArrayList<>();
    final List<LogSection> logs = new ArrayList<>();
    final List<SkippedInput> skipped = new ArrayList<>();

    void add(HasMetadata o, TextOrigin origin) {
        if (o instanceof io.fabric8.kubernetes.api.model.Event) events.add(new Obj(o, origin));
        else objects.add(new Obj(o, origin));
    }

    /** Adds the minimal view of an object read from one row of a {@code kubectl get} table. */
    void addRow(HasMetadata o, TextOrigin origin) {
        objects.add(new Obj(o, origin, true));
    }

    int size() {
        return objects.size() + events.size() + logs.size();
    }
}
