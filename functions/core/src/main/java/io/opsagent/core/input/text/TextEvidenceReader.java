package io.opsagent.core.input.text;

import io.opsagent.core.cluster.ClusterSnapshot;
import io.opsagent.core.input.InputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads text evidence — plain-text kubectl output as a person pastes it — into a {@link ClusterSnapshot}, so the
 * same analyzers run on it as on a cluster dump.
 *
 * <p>Understood, recognised from the content (not the file name): {@code kubectl describe} of pods, deployments,
 * replicasets, statefulsets, daemonsets, jobs, cronjobs, nodes, services, endpoints, PVCs, PVs, HPAs, resource
 * quotas, configmaps and secrets (keys only); {@code kubectl get -o yaml|json} (single objects, Lists, multi-document
 * YAML); {@code kubectl get} tables (pods, nodes, deployments, PVCs, jobs, services; with or without header,
 * {@code -o wide}, {@code -A}, {@code --show-labels}); {@code kubectl get events} / {@code kubectl events} tables;
 * {@code kubectl logs [--previous]} output. Files may start with JSON header lines (tool call and result), may wrap
 * the output in {@code stdout:}/{@code stderr:} markers, and may hold several commands each introduced by a
 * {@code $ kubectl ...} line. Recorded errors ("NotFound", "No resources found") count as no data.
 *
 * <p>Views of one object from several files are merged field by field, the richest view winning; events seen in
 * both a describe and an events table are kept once. Origins are {@link io.opsagent.core.cluster.TextOrigin}s: a
 * field reference resolves to the file line it was read from, and log lines keep their line numbers in the file.
 * What could not be used is listed by {@link #skipped()}. Secret values never enter the snapshot.
 *
 * <p>A reader is not thread-safe ({@link #skipped()} belongs to the last call); create one per read.
 */
public final class TextEvidenceReader {
    private List<SkippedInput> skipped = List.of();

    /**
     * Reads every file below {@code dir} (hidden files excluded).
     *
     * @throws InputException if the folder is missing, a file is not UTF-8 text, or no file holds kubectl output
     */
    public ClusterSnapshot read(Path dir) throws InputException {
        if (!Files.exists(dir)) throw new InputException(dir.toString(), "evidence folder does not exist");
        if (!Files.isDirectory(dir)) throw new InputException(dir.toString(), "is not a folder (expected a folder of kubectl output files)");
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile)
                    .filter(p -> dir.relativize(p).toString().chars().noneMatch(ch -> ch == 0)
                            && !isHidden(dir.relativize(p)))
                    .sorted().toList();
        } catch (IOException e) {
            throw new InputException(dir.toString(), "cannot list the evidence folder: " + e.getMessage(), e);
        }
        Collected c = new Collected();
        for (Path f : files) {
            String rel = dir.relativize(f).toString().replace('\\', '/');
            readFile(rel, decode(f, rel), c);
        }
        skipped = List.copyOf(c.skipped);
        if (c.size() == 0) {
            throw new InputException(dir.toString(), nothingFound(files.size(), c.skipped));
        }
        return SnapshotAssembler.assemble(dir.toString(), c);
    }

    /**
     * Reads pasted text (e.g. from the chat) as if it were one file called {@code name}.
     *
     * @throws InputException if the text holds no kubectl output this reader understands
     */
    public ClusterSnapshot readText(String name, String content) throws InputException {
        String file = name == null || name.isBlank() ? "pasted.txt" : name;
        Collected c = new Collected();
        readFile(file, content == null ? "" : content, c);
        skipped = List.copyOf(c.skipped);
        if (c.size() == 0) throw new InputException(file, nothingFound(1, c.skipped));
        return SnapshotAssembler.assemble(file, c);
    }

    /** What the last {@code read}/{@code readText} call ignored (unknown formats, recorded errors), and why. */
    public List<SkippedInput> skipped() {
        return skipped;
    }

    private static String nothingFound(int files, List<SkippedInput> skipped) {
        StringBuilder sb = new StringBuilder("no Kubernetes objects, events or logs found in ")
                .append(files).append(files == 1 ? " file" : " files")
                .append(" (expected kubectl describe, kubectl get [-o wide|yaml|json], kubectl get events or kubectl logs output)");
        if (!skipped.isEmpty()) {
            sb.append("; skipped: ");
            for (int i = 0; i < Math.min(5, skipped.size()); i++) {
                if (i > 0) sb.append("; ");
                sb.append(skipped.get(i));
            }
            if (skipped.size() > 5) sb.append("; … ").append(skipped.size() - 5).append(" more");
        }
        return sb.toString();
    }

    private static String firstNonNull(String... values) {
        for (String v : values) if (v != null && !v.isBlank()) return v;
        return null;
    }

    private static boolean isHidden(Path rel) {
        for (Path part : rel) if (part.toString().startsWith(".")) return true;
        return false;
    }

    private static String decode(Path f, String rel) throws InputException {
        try {
            byte[] bytes = Files.readAllBytes(f);
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new InputException(rel, "is not UTF-8 text (expected plain-text kubectl output)");
        } catch (IOException e) {
            throw new InputException(rel, "cannot be read: " + e.getMessage(), e);
        }
    }

    private static void readFile(String rel, String content, Collected c) {
        String text = content.startsWith("\uFEFF") ? content.substring(1) : content;
        String[] raw = text.split("\r\n|\r|\n", -1);
        List<Line> lines = new ArrayList<>(raw.length);
        for (int i = 0; i < raw.length; i++) {
            // markdown code fences around pasted output are not part of it
            String t = raw[i].trim().startsWith("```") && raw[i].trim().matches("```[\\w-]*") ? "" : raw[i];
            lines.add(new Line(i + 1, t));
        }
        boolean structured = rel.toLowerCase(Locale.ROOT).matches(".*\\.(ya?ml|json)$");
        for (Section s : SectionSplitter.split(rel, lines)) {
            if (s.noData() != null) {
                c.skipped.add(new SkippedInput(rel, s.firstLine(), "no data: " + s.noData()));
                continue;
            }
            int objects = c.objects.size(), events = c.events.size(), logs = c.logs.size();
            try {
                readSection(s, structured, c);
            } catch (RuntimeException e) {
                // an output this reader gets wrong must not hide the rest of the evidence: drop its partial objects
                c.objects.subList(objects, c.objects.size()).clear();
                c.events.subList(events, c.events.size()).clear();
                c.logs.subList(logs, c.logs.size()).clear();
                c.skipped.add(new SkippedInput(rel, s.firstLine(), "could not be read (" + e.getClass().getSimpleName() + ")"));
            }
        }
    }

    private static void readSection(Section s, boolean structured, Collected c) {
        List<Line> lines = s.lines();
        boolean logCommand = s.command().isLogs() || (s.tool() != null && s.tool().toLowerCase(Locale.ROOT).contains("log"));
        if (!logCommand) {
            if (ManifestReader.looksLike(lines) || structured) {
                int n = ManifestReader.read(s, c);
                if (n > 0) return;
                if (structured) {
                    if (n == 0) c.skipped.add(new SkippedInput(s.file(), s.firstLine(), "YAML/JSON without Kubernetes objects"));
                    return;
                }
                // not a Kubernetes object: JSON log lines, say — the checks below decide
            }
            if (DescribeReader.looksLike(lines)) {
                DescribeReader.read(s, c);
                return;
            }
            if (EventRows.isDescribeHeader(lines.get(0).text())) {
                int before = c.events.size();
                String kind = Kinds.canonical(firstNonNull(s.params().get("resource_type"), s.command().kind()));
                String name = firstNonNull(s.params().get("resource_name"), s.params().get("pod_name"),
                        s.params().get("name"), s.command().name());
                EventRows.fromLines(lines, kind, s.namespaceHint(), name, s.file(), c);
                if (c.events.size() == before) c.skipped.add(new SkippedInput(s.file(), s.firstLine(), "events table without rows"));
                return;
            }
            if (GetTables.looksLikeHeader(lines.get(0).text()) || GetTables.looksLikeHeaderlessPods(lines)) {
                List<Line> rest = GetTables.read(s, c);
                if (!rest.isEmpty()) readSection(new Section(s.file(), List.copyOf(rest), s.command(), s.params(), null), structured, c);
                return;
            }
        }
        if (logCommand || LogSection.isLogs(s) || LogSection.looksLikeLog(lines)) {
            c.logs.addAll(LogSection.read(s));
            return;
        }
        // prose before the output (a pasted chat message): start again where recognisable output begins
        for (int i = 1; i < lines.size(); i++) {
            List<Line> rest = lines.subList(i, lines.size());
            if (startsOutput(rest)) {
                c.skipped.add(new SkippedInput(s.file(), s.firstLine(), "text before the kubectl output ignored"));
                readSection(new Section(s.file(), List.copyOf(rest), s.command(), s.params(), null), structured, c);
                return;
            }
        }
        c.skipped.add(new SkippedInput(s.file(), s.firstLine(), "unrecognised text (not kubectl describe, get, events or logs output)"));
    }

    private static boolean startsOutput(List<Line> lines) {
        String first = lines.get(0).text();
        return DescribeReader.looksLike(lines) || first.startsWith("apiVersion:") || first.equals("{")
                || GetTables.looksLikeHeader(first) || EventRows.isDescribeHeader(first);
    }
}
