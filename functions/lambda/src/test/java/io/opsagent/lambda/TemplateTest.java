package io.opsagent.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.opsagent.app.config.Setting;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Invariants of template.yaml that cfn-lint cannot know: least-privilege IAM, the fixed names the Java side relies
 * on (handlers, zip layout, Lambda Web Adapter contract, setting keys), SnapStart/tracing/log retention on every
 * function, the sample events. The CloudFormation short tags (!Ref, !Sub, !GetAtt, ...) are read as plain values:
 * Jackson YAML reports a tag without resolving it, so {@code !Ref X} reads as "X" and {@code !Sub [s, vars]} as a
 * list. (The tables are checked against DynamoDB Local by TemplateTablesTest in the dynamodb adapter.)
 */
class TemplateTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The only actions that may have Resource "*": they take a query id or a task token, not a resource; IAM accepts
     * nothing narrower for them (docs/deploy.md, docs/changes.md).
     */
    private static final Set<String> RESOURCE_STAR_ALLOWED = Set.of("logs:GetQueryResults", "logs:StopQuery",
            "states:SendTaskSuccess", "states:SendTaskFailure", "states:SendTaskHeartbeat");

    private static Path root;
    private static JsonNode template;
    private static JsonNode resources;

    @BeforeAll
    static void load() throws IOException {
        root = checkoutRoot();
        template = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(root.resolve("template.yaml")));
        resources = template.path("Resources");
    }

    static Path checkoutRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("template.yaml")) && Files.isRegularFile(dir.resolve("pom.xml"))) {
                return dir;
            }
        }
        throw new IllegalStateException("template.yaml not found above " + Path.of("").toAbsolutePath());
    }

    @Test
    void everyAllowStatementNamesItsActionsWithoutWildcards() {
        List<JsonNode> statements = identityStatements();
        assertThat(statements).hasSizeGreaterThan(8);
        for (JsonNode s : statements) {
            List<String> actions = strings(s.path("Action"));
            assertThat(actions).as("statement %s", s).isNotEmpty()
                    .allSatisfy(a -> assertThat(a).doesNotContain("*").matches("[a-z0-9-]+:[A-Za-z0-9]+"));
            assertThat(s.path("Effect").asText()).isEqualTo("Allow");
            if (strings(s.path("Resource")).contains("*")) {
                assertThat(actions).as("Resource '*' only where IAM allows nothing narrower: %s", s)
                        .allMatch(RESOURCE_STAR_ALLOWED::contains);
            }
        }
    }

    @Test
    void bothRolesGetReadOnlyClusterAccessUnlessTurnedOff() {
        JsonNode param = template.path("Parameters").path("ClusterAccess");
        assertThat(strings(param.path("AllowedValues"))).containsExactly("view-policy", "groups", "none");
        assertThat(param.path("Default").asText()).isEqualTo("view-policy");
        for (String[] pair : new String[][] {{"ApiClusterAccess", "ApiRole"}, {"ChatClusterAccess", "ChatRole"},
                {"ChangeWorkerClusterAccess", "ChangeWorkerRole"}, {"AlertClusterAccess", "AlertRole"}}) {
            JsonNode entry = resources.path(pair[0]);
            assertThat(entry.path("Type").asText()).as(pair[0]).isEqualTo("AWS::EKS::AccessEntry");
            assertThat(entry.path("Condition").asText()).isEqualTo("ClusterAccessEntries");
            JsonNode p = entry.path("Properties");
            assertThat(p.path("PrincipalArn").asText()).isEqualTo(pair[1] + ".Arn");
            assertThat(p.path("ClusterName").asText()).isEqualTo("ClusterName");
            assertThat(p.path("Type").asText()).isEqualTo("STANDARD");
            // !If [ClusterViewPolicy, [the view policy, whole cluster], no policy (the group's RBAC decides)]
            JsonNode policies = p.path("AccessPolicies");
            assertThat(policies.get(0).asText()).isEqualTo("ClusterViewPolicy");
            assertThat(policies.get(1)).hasSize(1);
            assertThat(policies.get(1).get(0).path("PolicyArn").asText())
                    .endsWith(":eks::aws:cluster-access-policy/AmazonEKSViewPolicy");
            assertThat(policies.get(1).get(0).path("AccessScope").path("Type").asText()).isEqualTo("cluster");
            JsonNode groups = p.path("KubernetesGroups");
            assertThat(groups.get(0).asText()).isEqualTo("ClusterViewPolicy");
            assertThat(strings(groups.get(2))).containsExactly("KubernetesGroup");
        }
        // nothing anywhere grants more than viewing
        assertThat(template.toString()).doesNotContain("AmazonEKSEditPolicy", "AmazonEKSAdminPolicy",
                "AmazonEKSClusterAdminPolicy");
    }

    @Test
    void bedrockOnlyForChatOnlyOnConfiguredModels() {
        assertThat(actionsOf("ApiRole")).noneMatch(a -> a.startsWith("bedrock:") || a.startsWith("logs:Start"));
        JsonNode bedrock = statement("ChatRole", "InvokeConfiguredModels");
        assertThat(strings(bedrock.path("Action")))
                .containsExactlyInAnyOrder("bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream");
        // !If [DeriveModelArns, [model + profile named ModelId], !Ref ModelArns]
        JsonNode resource = bedrock.path("Resource");
        assertThat(resource.get(0).asText()).isEqualTo("DeriveModelArns");
        assertThat(resource.get(1).toString()).contains("foundation-model/${ModelId}", "inference-profile/${ModelId}");
        assertThat(resource.get(2).asText()).isEqualTo("ModelArns");
        // the change worker's investigations of failed changes call the same models, without streaming
        JsonNode worker = statement("ChangeWorkerRole", "InvokeConfiguredModels");
        assertThat(strings(worker.path("Action"))).containsExactly("bedrock:InvokeModel");
        assertThat(worker.path("Resource")).isEqualTo(resource);
    }

    @Test
    void startQueryOnlyOnTheConfiguredLogGroups() {
        JsonNode s = statement("ChatRole", "StartQueryOnConfiguredLogGroups");
        assertThat(strings(s.path("Action"))).containsExactly("logs:StartQuery");
        // !Split ["\n", !Sub [arns, {G0: ..., G9: ...}]]: every slot Gi is used twice (group and its streams)
        JsonNode sub = s.path("Resource").get(1);
        String arns = sub.get(0).asText();
        JsonNode vars = sub.get(1);
        assertThat(vars.size()).isEqualTo(10);
        Set<String> used = new TreeSet<>();
        Matcher m = Pattern.compile(":log-group:\\$\\{(G\\d+)}(:\\*)?$").matcher("");
        for (String arn : arns.split("\n")) {
            assertThat(m.reset(arn).find()).as(arn).isTrue();
            assertThat(arn).startsWith("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:");
            used.add(m.group(1));
        }
        assertThat(arns.split("\n")).hasSize(2 * vars.size());
        for (Iterator<String> it = vars.fieldNames(); it.hasNext();) {
            String name = it.next();
            assertThat(used).contains(name);
            int index = Integer.parseInt(name.substring(1));
            // !Select [i, padded LogGroupNames]; padding names contain '~', impossible in a log group name
            assertThat(vars.get(name).get(0).asInt()).isEqualTo(index);
            assertThat(vars.get(name).toString()).contains("LogGroupNames", "~unused" + index);
        }
    }

    @Test
    void eksAndDynamoScopedToTheirResources() {
        for (String role : List.of("ApiRole", "ChatRole")) {
            JsonNode eks = statement(role, "DescribeCluster");
            assertThat(strings(eks.path("Action"))).containsExactly("eks:DescribeCluster");
            assertThat(eks.path("Resource").asText()).endsWith(":cluster/${ClusterName}");
            for (JsonNode s : statementsOf(role)) {
                if (strings(s.path("Action")).stream().anyMatch(a -> a.startsWith("dynamodb:"))) {
                    assertThat(strings(s.path("Resource")))
                            .allMatch(r -> r.matches("(SessionsTable|RunsTable|ActionsTable)\\.Arn")
                                    || r.matches("\\$\\{(SessionsTable|RunsTable)\\.Arn}/index/(byUser|byUserStatus)")
                                    || r.matches("\\$\\{ActionsTable\\.Arn}/index/(byStatus|byCreation)"));
                }
            }
        }
        assertThat(actionsOf("ApiRole")).contains("dynamodb:GetItem", "dynamodb:Query").doesNotContain("dynamodb:Scan");
        // the API writes sessions; on runs it requests a cancel and ends orphaned runs (a step, the end, the marker)
        assertThat(strings(statement("ApiRole", "CancelAndEndRuns").path("Action")))
                .containsExactly("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem");
        assertThat(statement("ApiRole", "CancelAndEndRuns").path("Resource").asText()).isEqualTo("RunsTable.Arn");
        assertThat(actionsOf("ChatRole")).contains("dynamodb:PutItem", "dynamodb:UpdateItem").doesNotContain("dynamodb:Scan");
        // proposals and the audit log: read, and conditional puts only (nothing updates or deletes an audit record)
        for (String role : List.of("ApiRole", "ChatRole")) {
            JsonNode a = statement(role, "ProposalsAndAudit");
            assertThat(strings(a.path("Action"))).containsExactly("dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem");
            assertThat(strings(a.path("Resource"))).allMatch(r -> r.contains("ActionsTable"));
            for (JsonNode st : statementsOf(role)) {
                if (strings(st.path("Resource")).stream().anyMatch(r -> r.contains("ActionsTable"))) {
                    // budgets update their own items only: the leading key of every item touched is BUDGET#…
                    boolean budgetItemsOnly = st.path("Condition").path("ForAllValues:StringLike").path("dynamodb:LeadingKeys")
                            .toString().equals("[\"BUDGET#*\"]");
                    // projects are written by the API only, on the PROJECTS partition only (deletes included)
                    boolean projectItemsOnly = st.path("Condition").path("ForAllValues:StringEquals").path("dynamodb:LeadingKeys")
                            .toString().equals("[\"PROJECTS\"]");
                    if (projectItemsOnly) {
                        assertThat(role).isEqualTo("ApiRole");
                        assertThat(strings(st.path("Action"))).containsExactly("dynamodb:Query", "dynamodb:GetItem",
                                "dynamodb:PutItem", "dynamodb:DeleteItem");
                        continue;
                    }
                    if (budgetItemsOnly) {
                        assertThat(strings(st.path("Action"))).containsExactly("dynamodb:GetItem", "dynamodb:UpdateItem",
                                "dynamodb:PutItem", "dynamodb:DeleteItem");
                        continue;
                    }
                    assertThat(strings(st.path("Action"))).doesNotContain("dynamodb:DeleteItem", "dynamodb:UpdateItem",
                            "dynamodb:BatchWriteItem");
                }
            }
        }
        for (String role : List.of("ApiRole", "ChatRole", "AlertRole", "ChangeWorkerRole")) {
            assertThat(statement(role, "ReserveBudgets").path("Condition").toString()).as(role).contains("BUDGET#*");
        }
        // projects: the admin group is a Cognito group of this pool, and the functions know its name
        JsonNode group = resources.path("ProjectAdminUserPoolGroup");
        assertThat(group.path("Condition").asText()).isEqualTo("HasProjectAdminGroup");
        assertThat(group.path("Properties").path("GroupName").asText()).isEqualTo("ProjectAdminGroup");
        assertThat(group.path("Properties").path("UserPoolId").asText()).isEqualTo("UserPool");
        assertThat(globalsEnv().path("OPSAGENT_PROJECT_ADMIN_GROUP").asText()).isEqualTo("ProjectAdminGroup");
        assertThat(globalsEnv().has("OPSAGENT_IMPERSONATE_TOKEN_GROUPS")).isTrue();
        assertThat(statementsOf("ChatRole")).noneMatch(st -> st.path("Sid").asText().equals("ManageProjects"));
        assertThat(statement("ApiRole", "ManageProjects").path("Condition").toString()).contains("PROJECTS");
        // the budget alarm: the metric the functions emit (BudgetMetrics), in their namespace and Service dimension, at 80%
        JsonNode alarm = resources.path("BudgetUsageAlarm").path("Properties");
        assertThat(alarm.path("MetricName").asText()).isEqualTo(BudgetMetrics.USED_PERCENT);
        assertThat(alarm.path("Namespace").asText()).isEqualTo(globalsEnv().path("POWERTOOLS_METRICS_NAMESPACE").asText());
        assertThat(alarm.path("Dimensions").get(0).path("Value").asText()).isEqualTo(globalsEnv().path("POWERTOOLS_SERVICE_NAME").asText());
        assertThat(alarm.path("Threshold").asDouble()).isEqualTo(80.0);
    }

    @Test
    void everyFunctionHasSnapStartTracingAliasJsonLogsWithRetention() {
        List<String> functions = functionIds();
        assertThat(functions).containsExactlyInAnyOrder("ApiFunction", "ChatFunction", "ChangeWorkerFunction", "AlertFunction");
        for (String id : functions) {
            JsonNode f = effectiveFunction(id);
            assertThat(f.path("Runtime").asText()).as(id).isEqualTo("java25");
            assertThat(f.path("Architectures").toString()).as(id).isEqualTo("[\"x86_64\"]");
            assertThat(f.path("MemorySize").asInt()).as(id).isGreaterThanOrEqualTo(1024);
            assertThat(f.path("Tracing").asText()).as(id).isEqualTo("Active");
            assertThat(f.path("AutoPublishAlias").asText()).as(id).isNotBlank();
            assertThat(f.path("SnapStart").path("ApplyOn").asText()).as(id).isEqualTo("PublishedVersions");
            assertThat(f.path("LoggingConfig").path("LogFormat").asText()).as(id).isEqualTo("JSON");
            JsonNode logGroup = resources.path(f.path("LoggingConfig").path("LogGroup").asText());
            assertThat(logGroup.path("Type").asText()).as(id + " log group").isEqualTo("AWS::Logs::LogGroup");
            assertThat(logGroup.path("Properties").has("RetentionInDays")).as(id + " retention").isTrue();
            String role = f.path("Role").asText().replace(".Arn", "");
            assertThat(resources.path(role).path("Type").asText()).as(id + " role").isEqualTo("AWS::IAM::Role");
            // the role may write its own function's log group only
            JsonNode write = statement(role, "WriteOwnLogGroup");
            assertThat(write.path("Resource").asText())
                    .isEqualTo("${" + f.path("LoggingConfig").path("LogGroup").asText() + ".Arn}");
            assertThat(resources.path(id).path("Metadata").path("BuildMethod").asText()).isEqualTo("makefile");
        }
    }

    @Test
    void theChangeChainRunsTheDefinitionFileWithItsWorkerOnAnEncryptedQueue() {
        JsonNode sm = resources.path("ChangeStateMachine");
        assertThat(sm.path("Type").asText()).isEqualTo("AWS::Serverless::StateMachine");
        JsonNode p = sm.path("Properties");
        assertThat(p.path("DefinitionUri").asText()).isEqualTo("statemachines/change.asl.json");
        assertThat(root.resolve(p.path("DefinitionUri").asText())).isRegularFile();
        assertThat(p.path("Type").asText()).isEqualTo("STANDARD");
        assertThat(p.path("Tracing").path("Enabled").asBoolean()).isTrue();
        assertThat(p.path("DefinitionSubstitutions").path("ChangeTaskQueueUrl").asText()).isEqualTo("ChangeTaskQueue");
        // the state machine may send to its queue only
        assertThat(p.path("Policies").get(0).path("SQSSendMessagePolicy").path("QueueName").asText())
                .isEqualTo("ChangeTaskQueue.QueueName");
        // every ${Name} of the definition is substituted
        try {
            String asl = Files.readString(root.resolve("statemachines/change.asl.json"));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$\\{([A-Za-z0-9_]+)}").matcher(asl);
            while (m.find()) assertThat(p.path("DefinitionSubstitutions").has(m.group(1))).as(m.group(1)).isTrue();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        // task tokens travel in the queue: encrypted, short-lived, dead letters after 3 deliveries
        JsonNode q = resources.path("ChangeTaskQueue").path("Properties");
        assertThat(q.path("SqsManagedSseEnabled").asBoolean()).isTrue();
        assertThat(q.path("MessageRetentionPeriod").asInt()).isLessThanOrEqualTo(3600);
        assertThat(q.path("RedrivePolicy").path("maxReceiveCount").asInt()).isEqualTo(3);
        JsonNode worker = effectiveFunction("ChangeWorkerFunction");
        assertThat(worker.path("Handler").asText()).isEqualTo("io.opsagent.lambda.ChangeWorkerHandler::handleRequest");
        assertThat(classIfPresent("io.opsagent.lambda.ChangeWorkerHandler")).isNotNull();
        assertThat(worker.path("Timeout").asInt()).isLessThan(q.path("VisibilityTimeout").asInt());
        assertThat(worker.path("Events").path("Tasks").path("Properties").path("FunctionResponseTypes").toString())
                .contains("ReportBatchItemFailures");
        assertThat(worker.path("Events").path("Heartbeats").path("Properties").path("Schedule").asText()).isEqualTo("rate(1 minute)");
        for (String f : List.of("ApiFunction", "ChangeWorkerFunction")) {
            assertThat(effectiveFunction(f).path("Environment").path("Variables").path("OPSAGENT_CHANGE_STATE_MACHINE_ARN").asText())
                    .as(f).isEqualTo("ChangeStateMachine");
        }
        // the worker reads its queue and answers steps; the API starts changes and answers approvals; the chat neither
        assertThat(actionsOf("ChangeWorkerRole")).contains("sqs:ReceiveMessage", "states:SendTaskSuccess");
        assertThat(actionsBesidesBudgets("ChangeWorkerRole")).doesNotContain("dynamodb:DeleteItem");
        // it starts changes only to escalate drift, on the change machine only
        assertThat(statement("ChangeWorkerRole", "EscalateAsChanges").path("Resource").asText()).isEqualTo("ChangeStateMachine");
        // changes, proposals and audit: conditional puts only; updates only of its investigations' runs and sessions
        assertThat(strings(statement("ChangeWorkerRole", "ProposalsAndAudit").path("Action"))).doesNotContain("dynamodb:UpdateItem");
        assertThat(strings(statement("ChangeWorkerRole", "InvestigationRuns").path("Resource")))
                .containsExactlyInAnyOrder("SessionsTable.Arn", "RunsTable.Arn", "${RunsTable.Arn}/index/byUser");
        assertThat(statement("ApiRole", "StartChanges").path("Resource").asText()).isEqualTo("ChangeStateMachine");
        // the chat's tools list changes, submit a pending proposal as one and cancel one; they never answer a token
        assertThat(actionsOf("ChatRole")).filteredOn(a -> a.startsWith("states:") || a.startsWith("sqs:"))
                .containsExactlyInAnyOrder("states:StopExecution", "states:StartExecution");
        assertThat(statement("ChatRole", "SubmitChanges").path("Resource").asText()).isEqualTo("ChangeStateMachine");
        assertThat(statement("ChatRole", "CancelChanges").path("Resource").toString()).contains(":execution:${ChangeStateMachine.Name}:*");
        assertThat(effectiveFunction("ChatFunction").path("Environment").path("Variables")
                .path("OPSAGENT_CHANGE_STATE_MACHINE_ARN").asText()).isEqualTo("ChangeStateMachine");
        // notifications: one encrypted topic, published to by the worker only, named to it with the web UI's address
        assertThat(resources.path("NotificationTopic").path("Properties").path("KmsMasterKeyId").asText()).isEqualTo("alias/aws/sns");
        assertThat(strings(statement("ChangeWorkerRole", "PublishNotifications").path("Action"))).containsExactly("sns:Publish");
        assertThat(statement("ChangeWorkerRole", "PublishNotifications").path("Resource").asText()).isEqualTo("NotificationTopic");
        assertThat(actionsOf("ApiRole")).noneMatch(a -> a.startsWith("sns:"));
        assertThat(actionsOf("ChatRole")).noneMatch(a -> a.startsWith("sns:"));
        JsonNode workerEnv = resources.path("ChangeWorkerFunction").path("Properties").path("Environment").path("Variables");
        assertThat(workerEnv.path("OPSAGENT_SNS_TOPIC_ARN").asText()).isEqualTo("NotificationTopic");
        assertThat(workerEnv.path("OPSAGENT_WEB_URL").get(0).asText()).isEqualTo("DeriveOrigins");
        // drift remediation: its own definition file on a schedule, the same queue
        JsonNode rm = resources.path("RemediationStateMachine").path("Properties");
        assertThat(rm.path("DefinitionUri").asText()).isEqualTo("statemachines/remediation.asl.json");
        assertThat(root.resolve(rm.path("DefinitionUri").asText())).isRegularFile();
        assertThat(rm.path("DefinitionSubstitutions").path("ChangeTaskQueueUrl").asText()).isEqualTo("ChangeTaskQueue");
        assertThat(rm.path("Events").path("DriftCheck").path("Type").asText()).isEqualTo("ScheduleV2");
        assertThat(rm.path("Events").path("DriftCheck").path("Properties").path("ScheduleExpression").asText()).startsWith("rate(");
        for (String alarm : List.of("ChangeExecutionsFailedAlarm", "ChangeExecutionsTimedOutAlarm", "ChangeTaskDeadLettersAlarm",
                "RemediationExecutionsFailedAlarm")) {
            assertThat(resources.path(alarm).path("Type").asText()).as(alarm).isEqualTo("AWS::CloudWatch::Alarm");
        }
    }

    @Test
    void cloudWatchAlarmsReachTheAlertFunctionWhichMayOnlyRecordInvestigateAndNotify() {
        JsonNode f = effectiveFunction("AlertFunction");
        assertThat(f.path("Handler").asText()).isEqualTo("io.opsagent.lambda.AlertHandler::handleRequest");
        assertThat(classIfPresent("io.opsagent.lambda.AlertHandler")).isNotNull();
        JsonNode rule = resources.path("AlertFunction").path("Properties").path("Events").path("CloudWatchAlarms");
        assertThat(rule.path("Type").asText()).isEqualTo("EventBridgeRule");
        assertThat(rule.path("Properties").path("Pattern").toString()).isEqualTo(alarmPattern().toString());
        // least privilege: conditional puts on the actions table, runs for investigations, the topic; nothing else
        assertThat(actionsBesidesBudgets("AlertRole")).containsOnly("logs:CreateLogStream", "logs:PutLogEvents",
                "dynamodb:GetItem", "dynamodb:Query", "dynamodb:PutItem", "dynamodb:UpdateItem", "bedrock:InvokeModel",
                "eks:DescribeCluster", "sns:Publish", "states:StartExecution");
        assertThat(strings(statement("AlertRole", "AlertsAndEpisodes").path("Action"))).doesNotContain("dynamodb:UpdateItem");
        // an episode's investigation is an execution of the investigation machine: starting one, and only that one
        assertThat(statement("AlertRole", "StartInvestigations").path("Resource").asText()).isEqualTo("InvestigationStateMachine");
        assertThat(statement("ApiRole", "StartInvestigations").path("Resource").asText()).isEqualTo("InvestigationStateMachine");
        JsonNode machine = resources.path("InvestigationStateMachine").path("Properties");
        assertThat(machine.path("DefinitionUri").asText()).isEqualTo("statemachines/investigation.asl.json");
        assertThat(machine.path("DefinitionSubstitutions").path("ChangeTaskQueueUrl").asText()).isEqualTo("ChangeTaskQueue");
        assertThat(machine.path("DefinitionSubstitutions").path("AlertDeadLetterQueueUrl").asText()).isEqualTo("AlertDeadLetterQueue");
        assertThat(resources.path("AlertDeadLetterQueue").path("Properties").path("SqsManagedSseEnabled").asBoolean()).isTrue();
        for (String fn : List.of("AlertFunction", "ApiFunction", "ChangeWorkerFunction")) {
            assertThat(resources.path(fn).path("Properties").path("Environment").path("Variables")
                    .path("OPSAGENT_INVESTIGATION_STATE_MACHINE_ARN").asText()).as(fn).isEqualTo("InvestigationStateMachine");
        }
        assertThat(strings(statement("AlertRole", "InvestigationRuns").path("Resource"))).doesNotContain("ActionsTable.Arn");
        assertThat(statement("AlertRole", "PublishNotifications").path("Resource").asText()).isEqualTo("NotificationTopic");
        // Alertmanager's webhook on the API: its token a NoEcho parameter, empty by default (the route is off)
        JsonNode token = template.path("Parameters").path("AlertToken");
        assertThat(token.path("NoEcho").asBoolean()).isTrue();
        assertThat(token.path("Default").asText()).isEmpty();
        assertThat(resources.path("ApiFunction").path("Properties").path("Environment").path("Variables")
                .path("OPSAGENT_ALERT_TOKEN").asText()).isEqualTo("AlertToken");
        // preferably from Secrets Manager: the API role may read that one secret, only when it is given
        assertThat(resources.path("ApiFunction").path("Properties").path("Environment").path("Variables")
                .path("OPSAGENT_ALERT_TOKEN_SECRET").asText()).isEqualTo("AlertTokenSecretArn");
        JsonNode conditional = null;
        for (JsonNode p : resources.path("ApiRole").path("Properties").path("Policies")) {
            if (p.isArray() && p.size() == 3 && p.get(0).asText().equals("HasAlertTokenSecret")) conditional = p;
        }
        assertThat(conditional).as("the conditional alert-token policy").isNotNull();
        assertThat(conditional.get(1).toString()).contains("secretsmanager:GetSecretValue", "AlertTokenSecretArn");
    }

    /** The EventBridge pattern the template gives the alarm rule (AlertRuleOnLocalStackTest puts events through it). */
    static JsonNode alarmPattern() {
        return resources.path("AlertFunction").path("Properties").path("Events").path("CloudWatchAlarms").path("Properties")
                .path("Pattern");
    }

    @Test
    void apiFunctionIsTheFixedHandlerBehindTheJwtAuthorizer() throws Exception {
        JsonNode f = effectiveFunction("ApiFunction");
        String handler = f.path("Handler").asText();
        assertThat(handler).isEqualTo("io.opsagent.lambda.ApiHandler::handleRequest");
        Class<?> type = classIfPresent(handler.substring(0, handler.indexOf("::")));
        // a stream handler: the event is read by the application's Jackson, not the runtime's serializer
        assertThat(type).isNotNull();
        assertThat(com.amazonaws.services.lambda.runtime.RequestStreamHandler.class.isAssignableFrom(type)).isTrue();
        JsonNode event = f.path("Events").path("Api");
        assertThat(event.path("Type").asText()).isEqualTo("HttpApi");
        assertThat(event.path("Properties").path("Path").asText()).isEqualTo("/api/{proxy+}");
        JsonNode auth = resources.path(event.path("Properties").path("ApiId").asText()).path("Properties").path("Auth");
        String authorizer = auth.path("DefaultAuthorizer").asText();
        JsonNode jwt = auth.path("Authorizers").path(authorizer).path("JwtConfiguration");
        assertThat(jwt.path("issuer").asText()).isEqualTo(globalsEnv().path("OPSAGENT_JWT_ISSUER").asText())
                .contains("cognito-idp.${AWS::Region}", "${UserPool}");
        assertThat(jwt.path("audience").toString()).contains("UserPoolClient");
        // exactly one route goes without the authorizer: Alertmanager's webhook, which checks its own token
        java.util.List<String> open = new java.util.ArrayList<>();
        f.path("Events").fields().forEachRemaining(e -> {
            if (e.getValue().path("Properties").path("Auth").path("Authorizer").asText().equals("NONE")) {
                open.add(e.getValue().path("Properties").path("Method").asText() + " " + e.getValue().path("Properties").path("Path").asText());
            }
        });
        assertThat(open).containsExactly("POST /api/alerts/alertmanager");
        assertThat(ApiHandler.selfAuthenticated(ApiTestEnv.load("alertmanager-webhook.json"))).isTrue();
    }

    @Test
    void chatFunctionFollowsTheWebAdapterContract() throws IOException {
        JsonNode f = effectiveFunction("ChatFunction");
        assertThat(f.path("Handler").asText()).isEqualTo("run.sh");
        assertThat(f.path("Timeout").asInt()).isGreaterThanOrEqualTo(120);
        assertThat(f.path("Layers").toString()).contains(":753240598075:layer:LambdaAdapterLayerX86:");
        JsonNode env = f.path("Environment").path("Variables");
        assertThat(env.path("AWS_LAMBDA_EXEC_WRAPPER").asText()).isEqualTo("/opt/bootstrap");
        assertThat(env.path("AWS_LWA_INVOKE_MODE").asText()).isEqualTo("response_stream");
        assertThat(env.path("AWS_LWA_PORT").asText()).isEqualTo("8080");
        assertThat(env.path("AWS_LWA_READINESS_CHECK_PATH").asText()).isEqualTo("/healthz");
        assertThat(env.path("AWS_LWA_SNAPSTART_BEFORE_CHECKPOINT_PATH").asText()).isEqualTo("/_lwa/before-checkpoint");
        assertThat(env.path("AWS_LWA_SNAPSTART_AFTER_RESTORE_PATH").asText()).isEqualTo("/_lwa/after-restore");
        JsonNode url = f.path("FunctionUrlConfig");
        assertThat(url.path("AuthType").asText()).isEqualTo("NONE"); // the app verifies the Cognito JWT itself
        assertThat(url.path("InvokeMode").asText()).isEqualTo("RESPONSE_STREAM");
        assertThat(url.has("Cors")).as("CORS is the app's (one place writes the headers)").isFalse();

        Path runSh = root.resolve("functions/lambda/src/main/lambda/run.sh");
        if (Files.exists(runSh)) { // present once the chat server is merged
            assertThat(Files.readString(runSh)).contains("io.opsagent.lambda.ChatServer", "lib/");
        }
        Class<?> server = classIfPresent("io.opsagent.lambda.ChatServer");
        if (server != null) {
            assertThat(Stream.of(server.getMethods()).map(Method::getName)).contains("main");
        }
        // the build glue puts run.sh at the zip root and the jar under lib/
        String makefile = Files.readString(root.resolve("deploy/Makefile"));
        assertThat(makefile).contains("build-ApiFunction:", "build-ChatFunction:",
                "$(ARTIFACTS_DIR)/lib/opsagent-lambda.jar", "$(ARTIFACTS_DIR)/run.sh",
                "functions/lambda/target/opsagent-lambda.jar", "functions/lambda/src/main/lambda/run.sh");
    }

    @Test
    void environmentUsesOnlyRealSettingKeys() {
        JsonNode env = globalsEnv();
        List<String> keys = new ArrayList<>();
        env.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).contains("OPSAGENT_MODEL", "OPSAGENT_MODEL_PROVIDER", "OPSAGENT_EKS_CLUSTER",
                "OPSAGENT_LOG_SOURCE", "OPSAGENT_LOG_GROUPS", "OPSAGENT_SESSIONS_TABLE", "OPSAGENT_RUNS_TABLE",
                "OPSAGENT_JWT_ISSUER", "OPSAGENT_JWT_AUDIENCE", "OPSAGENT_ALLOWED_ORIGINS",
                "POWERTOOLS_SERVICE_NAME", "POWERTOOLS_METRICS_NAMESPACE");
        for (String key : keys) {
            if (key.startsWith("OPSAGENT_")) {
                assertThat(Setting.byKey(key)).as("%s is a Setting", key).isPresent();
            }
        }
        assertThat(env.path("OPSAGENT_MODEL_PROVIDER").asText()).isEqualTo("bedrock");
        assertThat(env.path("OPSAGENT_LOG_SOURCE").asText()).isEqualTo("cloudwatch");
        assertThat(env.path("POWERTOOLS_SERVICE_NAME").asText()).isEqualTo("opsagent");
        assertThat(env.path("POWERTOOLS_METRICS_NAMESPACE").asText()).isEqualTo("OpsAgent");
    }

    @Test
    void webUiIsPrivateBehindCloudFrontOnly() {
        JsonNode block = resources.path("WebBucket").path("Properties").path("PublicAccessBlockConfiguration");
        for (String flag : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
            assertThat(block.path(flag).asBoolean()).as(flag).isTrue();
        }
        JsonNode dist = resources.path("WebDistribution").path("Properties").path("DistributionConfig");
        assertThat(dist.path("DefaultRootObject").asText()).isEqualTo("index.html");
        assertThat(dist.path("DefaultCacheBehavior").path("ViewerProtocolPolicy").asText())
                .isIn("redirect-to-https", "https-only");
        assertThat(dist.path("Origins").get(0).path("OriginAccessControlId").asText()).isEqualTo("WebOriginAccessControl.Id");
        JsonNode statements = resources.path("WebBucketPolicy").path("Properties").path("PolicyDocument").path("Statement");
        JsonNode allow = statements.get(0);
        assertThat(allow.path("Principal").path("Service").asText()).isEqualTo("cloudfront.amazonaws.com");
        assertThat(strings(allow.path("Action"))).containsExactly("s3:GetObject");
        assertThat(allow.path("Condition").path("StringEquals").path("AWS:SourceArn").asText())
                .contains("distribution/${WebDistribution}");
        assertThat(statements.get(1).path("Effect").asText()).isEqualTo("Deny");
        assertThat(statements.get(1).path("Condition").path("Bool").path("aws:SecureTransport").asText()).isEqualTo("false");
    }

    @Test
    void outputsNameWhatTheDeployStepsNeed() {
        assertThat(iterable(template.path("Outputs").fieldNames())).contains("WebUrl", "ChatUrl", "ApiUrl",
                "UserPoolId", "UserPoolClientId", "SessionsTableName", "RunsTableName", "WebBucketName",
                "WebDistributionId");
        assertThat(template.path("Outputs").path("ChatUrl").path("Value").asText()).isEqualTo("ChatFunctionUrl.FunctionUrl");
    }

    @Test
    void sampleEventsParseAndHaveTheirPayloadShape() throws IOException {
        int checked = 0;
        for (String kind : List.of("api", "chat")) {
            Path dir = root.resolve("events").resolve(kind);
            if (!Files.isDirectory(dir)) {
                continue; // added with the handlers
            }
            List<Path> files;
            try (Stream<Path> s = Files.list(dir)) {
                files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            }
            for (Path file : files) {
                JsonNode event = JSON.readTree(file.toFile());
                assertThat(event.path("version").asText()).as(file.toString()).isEqualTo("2.0");
                assertThat(event.path("requestContext").path("http").path("method").asText()).as(file.toString())
                        .isNotBlank();
                assertThat(event.path("rawPath").asText()).as(file.toString()).startsWith("/api/");
                if (kind.equals("api") && file.getFileName().toString().equals("alertmanager-webhook.json")) {
                    // the one route without the JWT authorizer: it carries Alertmanager's own bearer token
                    assertThat(event.path("requestContext").has("authorizer")).as(file.toString()).isFalse();
                    assertThat(event.path("headers").path("authorization").asText()).as(file.toString()).startsWith("Bearer ");
                } else if (kind.equals("api")) {
                    assertThat(event.path("requestContext").path("authorizer").path("jwt").path("claims")
                            .path("sub").asText()).as(file + ": the JWT authorizer's claims").isNotBlank();
                }
                checked++;
            }
        }
        System.out.println("[TemplateTest] sample events checked: " + checked);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static List<String> functionIds() {
        List<String> ids = new ArrayList<>();
        resources.fields().forEachRemaining(e -> {
            if (e.getValue().path("Type").asText().equals("AWS::Serverless::Function")) {
                ids.add(e.getKey());
            }
        });
        return ids;
    }

    /** A function's properties with Globals.Function under them (Environment variables merged), as SAM does. */
    private static JsonNode effectiveFunction(String id) {
        ObjectNode merged = ((ObjectNode) template.path("Globals").path("Function")).deepCopy();
        JsonNode own = resources.path(id).path("Properties");
        own.fields().forEachRemaining(e -> {
            if (e.getKey().equals("Environment")) {
                ObjectNode vars = (ObjectNode) merged.with("Environment").with("Variables");
                vars.setAll((ObjectNode) e.getValue().path("Variables"));
            } else {
                merged.set(e.getKey(), e.getValue());
            }
        });
        return merged;
    }

    private static JsonNode globalsEnv() {
        return template.path("Globals").path("Function").path("Environment").path("Variables");
    }

    /** Every statement of every identity policy: roles' inline policies and standalone policies. */
    private static List<JsonNode> identityStatements() {
        List<JsonNode> out = new ArrayList<>();
        resources.fields().forEachRemaining(e -> {
            String type = e.getValue().path("Type").asText();
            if (type.equals("AWS::IAM::Role")) {
                out.addAll(statementsOf(e.getKey()));
            } else if (type.equals("AWS::IAM::Policy") || type.equals("AWS::IAM::ManagedPolicy")
                    || type.equals("AWS::IAM::RolePolicy")) {
                e.getValue().path("Properties").path("PolicyDocument").path("Statement").forEach(out::add);
            }
        });
        return out;
    }

    private static List<JsonNode> statementsOf(String role) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode policy : resources.path(role).path("Properties").path("Policies")) {
            policy.path("PolicyDocument").path("Statement").forEach(out::add);
        }
        return out;
    }

    private static List<String> actionsOf(String role) {
        List<String> out = new ArrayList<>();
        statementsOf(role).forEach(s -> out.addAll(strings(s.path("Action"))));
        return out;
    }

    /**
     * The actions of {@code role} besides its budget statement, which may write and delete only the actions table's
     * {@code BUDGET#} items (its LeadingKeys condition is checked in {@link #eksAndDynamoScopedToTheirResources}).
     */
    private static List<String> actionsBesidesBudgets(String role) {
        List<String> out = new ArrayList<>();
        statementsOf(role).stream().filter(s -> !s.path("Sid").asText().equals("ReserveBudgets"))
                .forEach(s -> out.addAll(strings(s.path("Action"))));
        return out;
    }

    private static JsonNode statement(String role, String sid) {
        return statementsOf(role).stream().filter(s -> s.path("Sid").asText().equals(sid)).findFirst()
                .orElseThrow(() -> new AssertionError(role + " has no statement " + sid));
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(n -> out.add(n.isValueNode() ? n.asText() : n.toString()));
        } else if (!node.isMissingNode()) {
            out.add(node.isValueNode() ? node.asText() : node.toString());
        }
        return out;
    }

    private static <T> List<T> iterable(Iterator<T> it) {
        List<T> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private static Class<?> classIfPresent(String name) {
        try {
            return Class.forName(name, false, TemplateTest.class.getClassLoader());
        } catch (ClassNotFoundException absent) {
            return null;
        }
    }

}
