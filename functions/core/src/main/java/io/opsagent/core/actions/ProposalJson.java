package io.opsagent.core.actions;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;

/**
 * Proposals as JSON: the stored form ({@link #write}/{@link #read}, every field) and the view the API, the CLI and
 * the UI show ({@link #view}: the action's kind by its name, the diff as lines, time left, approvals needed).
 */
public final class ProposalJson {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .registerModule(new SimpleModule("instants")
                    .addSerializer(Instant.class, new JsonSerializer<>() {
                        @Override
                        public void serialize(Instant v, JsonGenerator g, SerializerProvider p) throws IOException {
                            g.writeString(v.toString());
                        }
                    })
                    .addDeserializer(Instant.class, new JsonDeserializer<>() {
                        @Override
                        public Instant deserialize(JsonParser p, DeserializationContext c) throws IOException {
                            return Instant.parse(p.getValueAsString());
                        }
                    }));

    private ProposalJson() {
    }

    /** The stored form. */
    public static String write(Proposal p) {
        try {
            return MAPPER.writeValueAsString(p);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write proposal " + p.id(), e);
        }
    }

    /** Back from {@link #write}; the action's hash is checked against the stored hash. */
    public static Proposal read(String json) {
        try {
            return MAPPER.readValue(json, Proposal.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored proposal cannot be read: " + e.getOriginalMessage(), e);
        }
    }

    /** What people see: everything needed to decide, nothing to act on but the hash they must send back. */
    public static ObjectNode view(Proposal p, Instant now) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("id", p.id());
        n.put("status", p.status().id());
        n.put("summary", p.action().summary());
        ObjectNode a = n.putObject("action");
        a.put("kind", p.action().kind().id());
        a.put("namespace", p.action().namespace());
        a.put("targetKind", p.action().targetKind());
        a.put("name", p.action().name());
        a.set("params", p.action().params());
        n.put("hash", p.hash());
        n.put("canonical", p.action().canonical());
        if (p.target() != null) {
            n.putObject("target").put("resourceVersion", p.target().resourceVersion())
                    .put("generation", p.target().generation());
        }
        ObjectNode dry = n.putObject("dryRun");
        dry.put("ok", p.dryRun().ok());
        if (p.dryRun().error() != null) dry.put("error", p.dryRun().error());
        ArrayNode diff = dry.putArray("diff");
        for (FieldChange c : p.dryRun().diff()) {
            diff.addObject().put("path", c.path()).put("before", c.before()).put("after", c.after()).put("text", c.text());
        }
        n.set("blastRadius", MAPPER.valueToTree(p.blast()));
        n.set("risk", MAPPER.valueToTree(p.risk()));
        if (p.cost() != null) n.putObject("cost").put("perMonthUsd", Math.round(p.cost().perMonthUsd() * 100) / 100.0)
                .put("text", p.cost().text()).put("basis", p.cost().basis());
        n.put("requester", p.requester());
        n.put("runId", p.runId());
        n.put("sessionId", p.sessionId());
        n.put("correlationId", p.correlationId());
        n.put("createdAt", p.createdAt().toString());
        n.put("expiresAt", p.expiresAt().toString());
        n.put("expiresInSeconds", p.status() == ProposalStatus.PENDING
                ? Math.max(0, p.expiresAt().getEpochSecond() - now.getEpochSecond()) : 0);
        n.put("approvalsNeeded", p.risk().twoApprovers() ? 2 : 1);
        n.set("approvals", MAPPER.valueToTree(p.approvers()));
        n.set("decisions", MAPPER.valueToTree(p.decisions()));
        if (p.execution() != null) n.set("execution", MAPPER.valueToTree(p.execution()));
        if (p.verification() != null) n.set("verification", MAPPER.valueToTree(p.verification()));
        return n;
    }

    /** An audit record as JSON. */
    public static ObjectNode view(AuditRecord r) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("seq", r.seq()).put("at", r.at().toString()).put("type", r.type()).put("actor", r.actor())
                .put("proposalId", r.proposalId()).put("workload", r.workload()).put("action", r.action());
        n.set("detail", r.detail());
        n.put("prevHash", r.prevHash()).put("hash", r.hash());
        return n;
    }

    /** An audit record back from {@link #view(AuditRecord)}. */
    public static AuditRecord record(JsonNode n) {
        return new AuditRecord(n.path("seq").asLong(), Instant.parse(n.path("at").asText()), n.path("type").asText(null),
                n.path("actor").asText(null), n.path("proposalId").asText(null), n.path("workload").asText(null),
                n.path("action").asText(null), n.get("detail"), n.path("prevHash").asText(null), n.path("hash").asText(null));
    }
}
