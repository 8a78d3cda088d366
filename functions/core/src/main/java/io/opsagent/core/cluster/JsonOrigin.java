package io.opsagent.core.cluster;

/** An object read from item {@code itemPath} (e.g. {@code items[3]}) of a JSON List file. */
public record JsonOrigin(String file, String itemPath) implements Origin {
    @Override
    public String ref(String fieldPath) {
        String base = itemPath == null || itemPath.isEmpty() ? file : file + ":" + itemPath;
        if (fieldPath == null || fieldPath.isEmpty()) {
            return base;
        }
        return base + (itemPath == null || itemPath.isEmpty() ? ":" : ".") + fieldPath;
    }
}
