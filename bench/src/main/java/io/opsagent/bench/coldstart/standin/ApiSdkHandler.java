package io.opsagent.bench.coldstart.standin;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.crac.Core;
import org.crac.Resource;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * A stand-in for the API handler's cost floor, run from the real shaded Lambda jar (put beside it in
 * {@code lib/}): the same contract (HTTP API v2 event and response as POJOs through the runtime's serializer),
 * a DynamoDB client built once at init (URL-connection HTTP client, region and credentials from the environment,
 * endpoint from {@code AWS_ENDPOINT_URL_DYNAMODB}), one read of the sessions table and a Jackson body per request.
 * It shows what the SDK + events + Jackson stack costs before any OpsAgent wiring. Its CRaC
 * {@code beforeCheckpoint} hook primes exactly that path (one request through the handler: serializer, SDK
 * marshalling, signing, HTTP), as SnapStart priming would.
 */
public final class ApiSdkHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse>, Resource {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final DynamoDbClient dynamo = DynamoDbClient.builder()
            .region(Region.of(System.getenv().getOrDefault("AWS_REGION", "us-east-1")))
            .credentialsProvider(EnvironmentVariableCredentialsProvider.create())
            .httpClient(UrlConnectionHttpClient.create())
            .build();
    private final String table = System.getenv().getOrDefault("OPSAGENT_TABLE_PREFIX", "opsagent-") + "sessions";

    /** Built once per execution environment; registers the priming hook. */
    public ApiSdkHandler() {
        Core.getGlobalContext().register(this);
    }

    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) {
        APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT jwt = new APIGatewayV2HTTPEvent.RequestContext.Authorizer.JWT();
        jwt.setClaims(Map.of("sub", "priming"));
        APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = new APIGatewayV2HTTPEvent.RequestContext.Authorizer();
        authorizer.setJwt(jwt);
        APIGatewayV2HTTPEvent.RequestContext ctx = new APIGatewayV2HTTPEvent.RequestContext();
        ctx.setAuthorizer(authorizer);
        APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
        event.setRequestContext(ctx);
        event.setRawPath("/api/sessions");
        handleRequest(event, null);
    }

    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) {
        // the URL-connection client keeps no pooled connection worth dropping; credentials come from the environment
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String user = event.getRequestContext() == null || event.getRequestContext().getAuthorizer() == null
                ? "anonymous" : event.getRequestContext().getAuthorizer().getJwt().getClaims().getOrDefault("sub", "?");
        List<Map<String, String>> items = new ArrayList<>();
        for (Map<String, AttributeValue> item : dynamo.scan(ScanRequest.builder().tableName(table).limit(20).build())
                .items()) {
            Map<String, String> row = new LinkedHashMap<>();
            item.forEach((k, v) -> row.put(k, v.s()));
            items.add(row);
        }
        try {
            return APIGatewayV2HTTPResponse.builder().withStatusCode(200)
                    .withHeaders(Map.of("content-type", "application/json"))
                    .withBody(JSON.writeValueAsString(Map.of("user", user, "sessions", items))).build();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
