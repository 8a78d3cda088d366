package io.opsagent.core.redact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Secrets in real-looking text formats: the value disappears, the shape and the context stay. */
class RedactorTextTest {
    private static final String AKIA = "AKIAIOSFODNN7EXAMPLE";
    private static final String AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
            + ".eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ"
            + ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
    private static final String GHP = "ghp_R2d2C3poAbCdEfGhIjKlMnOpQrStUvWx1234";
    private static final String PEM_BODY = "MIIEowIBAAKCAQEAu1SU1LfVLPHCozMxH2Mo4lgOEePzNm0tRgeLezV6ffAt0gun\n"
            + "VTLw7onLRnrq0/IzW7yWR7QkrmBL7jTKEn5u+qKhbwKfBstIs+bMY2Zkp18gnTxK\n";

    private final Redactor redactor = new Redactor();

    static Stream<Arguments> secrets() {
        return Stream.of(
            // AWS
            Arguments.of("aws access key id in credentials file",
                "aws_access_key_id = " + AKIA, "aws_access_key_id = AKIA****************", AKIA),
            Arguments.of("temporary access key id in a log line",
                "assumed role, using ASIAY34FZKBOKMUTVV7A until 12:00Z",
                "assumed role, using ASIA**************** until 12:00Z", "Y34FZKBOKMUTVV7A"),
            Arguments.of("aws secret key in credentials file",
                "aws_secret_access_key = " + AWS_SECRET, "aws_secret_access_key = ********", AWS_SECRET),
            Arguments.of("aws secret key env var",
                "AWS_SECRET_ACCESS_KEY=" + AWS_SECRET, "AWS_SECRET_ACCESS_KEY=********", AWS_SECRET),
            Arguments.of("STS credentials JSON",
                "{\"AccessKeyId\": \"ASIAY34FZKBOKMUTVV7A\", \"SecretAccessKey\": \"" + AWS_SECRET
                    + "\", \"SessionToken\": \"IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ\"}",
                "{\"AccessKeyId\": \"ASIA****************\", \"SecretAccessKey\": \"********\","
                    + " \"SessionToken\": \"********\"}", AWS_SECRET),
            Arguments.of("bare key pair in a CSV credentials export",
                "Access key ID,Secret access key\n" + AKIA + "," + AWS_SECRET,
                "Access key ID,Secret access key\nAKIA****************," + "*".repeat(40), AWS_SECRET),
            // HTTP auth
            Arguments.of("curl with bearer header",
                "curl -H \"Authorization: Bearer abc123def456ghi789\" https://api.example.com/v1",
                "curl -H \"Authorization: Bearer ****\" https://api.example.com/v1", "abc123def456ghi789"),
            Arguments.of("basic auth header",
                "Authorization: Basic dXNlcjpodW50ZXIy", "Authorization: Basic ****", "dXNlcjpodW50ZXIy"),
            Arguments.of("proxy authorization header without scheme",
                "Proxy-Authorization: 0123456789abcdef", "Proxy-Authorization: ****", "0123456789abcdef"),
            Arguments.of("bearer token in a log message",
                "retrying request with bearer 9f8e7d6c5b4a39281706 after 401",
                "retrying request with bearer **** after 401", "9f8e7d6c5b4a39281706"),
            Arguments.of("basic credentials outside a header",
                "proxy configured with Basic dXNlcjpodW50ZXIy", "proxy configured with Basic ****",
                "dXNlcjpodW50ZXIy"),
            Arguments.of("JWT in a log line",
                "validated " + JWT + " for user 42", "validated eyJ****.****.**** for user 42", "SflKxwRJ"),
            Arguments.of("kubeconfig token",
                "users:\n- name: admin\n  user:\n    token: " + JWT,
                "users:\n- name: admin\n  user:\n    token: ********", "SflKxwRJ"),
            Arguments.of("AWS SigV4 authorization header",
                "Authorization: AWS4-HMAC-SHA256 Credential=" + AKIA + "/20240101/us-east-1/s3/aws4_request,"
                    + " SignedHeaders=host, Signature=fe5f80f77d5fa3beca038a248ff027",
                "Authorization: AWS4-HMAC-SHA256 ****", "fe5f80f77d5fa3beca038a248ff027"),
            Arguments.of("authorization header in a JSON log",
                "{\"headers\": {\"Authorization\": \"Bearer abc.def-123_456\", \"Accept\": \"*/*\"}}",
                "{\"headers\": {\"Authorization\": \"Bearer ****\", \"Accept\": \"*/*\"}}", "abc.def-123_456"),
            Arguments.of("cookie header",
                "Cookie: session=7f3a9c2e41b8; theme=dark", "Cookie: ****", "7f3a9c2e41b8"),
            Arguments.of("set-cookie header",
                "Set-Cookie: sid=s%3Aabc123.xyz; Path=/; HttpOnly", "Set-Cookie: ****", "abc123"),
            // URLs and connection strings
            Arguments.of("https user info",
                "pulling from https://admin:s3cr3tP4ss@registry.example.com/v2/app",
                "pulling from https://admin:********@registry.example.com/v2/app", "s3cr3tP4ss"),
            Arguments.of("postgres url",
                "DATABASE_URL=postgres://app:hunter2@db.internal:5432/orders",
                "DATABASE_URL=postgres://app:********@db.internal:5432/orders", "hunter2"),
            Arguments.of("mongodb+srv url",
                "mongodb+srv://svc:Xy7%40pq@cluster0.ab1cd.mongodb.net/test?retryWrites=true",
                "mongodb+srv://svc:********@cluster0.ab1cd.mongodb.net/test?retryWrites=true", "Xy7%40pq"),
            Arguments.of("redis url with empty user",
                "connecting to redis://:p4ssw0rd@redis-master:6379/0",
                "connecting to redis://:********@redis-master:6379/0", "p4ssw0rd"),
            Arguments.of("token and api key in a query string",
                "GET /callback?token=abc123xyz&api_key=k3y-9876&page=2 HTTP/1.1",
                "GET /callback?token=********&api_key=********&page=2 HTTP/1.1", "abc123xyz"),
            Arguments.of("presigned S3 url",
                "https://b.s3.amazonaws.com/o?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=" + AKIA
                    + "%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Signature=4f2a9c0d11aa",
                "https://b.s3.amazonaws.com/o?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=********"
                    + "&X-Amz-Signature=********", "4f2a9c0d11aa"),
            Arguments.of("ADO.NET connection string",
                "Server=tcp:db.example.com,1433;Database=app;User ID=sa;Password=P@ssw0rd!;Encrypt=True;",
                "Server=tcp:db.example.com,1433;Database=app;User ID=sa;Password=********;Encrypt=True;",
                "P@ssw0rd!"),
            Arguments.of("JDBC SQL Server properties",
                "jdbc:sqlserver://db:1433;databaseName=app;user=sa;password=Secr3t;",
                "jdbc:sqlserver://db:1433;databaseName=app;user=sa;password=********;", "Secr3t"),
            Arguments.of("JDBC MySQL query parameters",
                "jdbc:mysql://db:3306/app?user=app&password=Secr3t&useSSL=true",
                "jdbc:mysql://db:3306/app?user=app&password=********&useSSL=true", "Secr3t"),
            Arguments.of("JDBC Oracle thin user/password",
                "jdbc:oracle:thin:scott/tiger@db.example.com:1521/ORCL",
                "jdbc:oracle:thin:scott/********@db.example.com:1521/ORCL", "tiger"),
            // private keys
            Arguments.of("RSA private key block",
                "key:\n-----BEGIN RSA PRIVATE KEY-----\n" + PEM_BODY + "-----END RSA PRIVATE KEY-----\ndone",
                "key:\n-----BEGIN RSA PRIVATE KEY-----\n****\n-----END RSA PRIVATE KEY-----\ndone", "MIIEow"),
            Arguments.of("OpenSSH private key block",
                "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n"
                    + "-----END OPENSSH PRIVATE KEY-----",
                "-----BEGIN OPENSSH PRIVATE KEY-----\n****\n-----END OPENSSH PRIVATE KEY-----", "b3BlbnNz"),
            Arguments.of("private key in a service-account JSON (escaped newlines)",
                "{\"type\": \"service_account\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkq"
                    + "\\nhkiG9w0BAQEFAASC\\n-----END PRIVATE KEY-----\\n\"}",
                "{\"type\": \"service_account\", \"private_key\": \"-----BEGIN PRIVATE KEY-----\\n****\\n"
                    + "-----END PRIVATE KEY-----\\n\"}", "MIIEvQ"),
            Arguments.of("private key without its END line",
                "-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIBkg4LVWM9nuwNSk3yByxZpYRTBnVJk5oo\nnext line here",
                "-----BEGIN EC PRIVATE KEY-----\n****\nnext line here", "MHcCAQ"),
            // key = value in text, JSON and YAML
            Arguments.of("password= in plain text",
                "login attempt user=bob password=hunter2 from 10.0.0.5",
                "login attempt user=bob password=******** from 10.0.0.5", "hunter2"),
            Arguments.of("passwd: in YAML",
                "db:\n  user: app\n  passwd: hunter2\n", "db:\n  user: app\n  passwd: ********\n", "hunter2"),
            Arguments.of("secret= and token= in a log line",
                "INFO init secret=Zx9qPlm token=t0k3nV4lue ok",
                "INFO init secret=******** token=******** ok", "t0k3nV4lue"),
            Arguments.of("password in JSON",
                "{\"username\": \"bob\", \"password\": \"hunter2\"}",
                "{\"username\": \"bob\", \"password\": \"********\"}", "hunter2"),
            Arguments.of("escaped JSON inside a log line",
                "request body={\\\"user\\\":\\\"bob\\\",\\\"password\\\":\\\"hunter2\\\"}",
                "request body={\\\"user\\\":\\\"bob\\\",\\\"password\\\":\\\"********\\\"}", "hunter2"),
            Arguments.of("client_secret and access_token",
                "client_id=web client_secret=8f7e6d5c4b3a access_token=ya29.a0AfH6SMB",
                "client_id=web client_secret=******** access_token=********", "ya29.a0AfH6SMB"),
            Arguments.of("apiKey in YAML config",
                "service:\n  apiKey: 0123abcd4567ef\n  timeout: 30s",
                "service:\n  apiKey: ********\n  timeout: 30s", "0123abcd4567ef"),
            Arguments.of("X-API-Key header in curl",
                "curl -H \"X-API-Key: 9a8b7c6d5e4f\" https://api.example.com",
                "curl -H \"X-API-Key: ********\" https://api.example.com", "9a8b7c6d5e4f"),
            Arguments.of("password: mid-line with a generated value",
                "2024-05-01 12:00:01 INFO bootstrap admin password: Qw3rty9Zx",
                "2024-05-01 12:00:01 INFO bootstrap admin password: ********", "Qw3rty9Zx"),
            Arguments.of("Spring datasource properties",
                "spring.datasource.username=app\nspring.datasource.password=Secr3t!",
                "spring.datasource.username=app\nspring.datasource.password=********", "Secr3t!"),
            Arguments.of("env var dump",
                "HOME=/root\nPWD=/app\nDB_PASSWORD=hunter2\nMYSQL_ROOT_PASSWORD='r00t pw'\nLANG=C.UTF-8",
                "HOME=/root\nPWD=/app\nDB_PASSWORD=********\nMYSQL_ROOT_PASSWORD='********'\nLANG=C.UTF-8",
                "r00t pw"),
            Arguments.of("YAML single-quoted value with an escaped quote",
                "password: 'it''s-s3cret'", "password: '********'", "s3cret"),
            Arguments.of("helm --set",
                "helm upgrade app ./chart --set db.password=hunter2 --set image.tag=1.2",
                "helm upgrade app ./chart --set db.password=******** --set image.tag=1.2", "hunter2"),
            Arguments.of("docker run -e",
                "docker run -e POSTGRES_PASSWORD=hunter2 postgres:16",
                "docker run -e POSTGRES_PASSWORD=******** postgres:16", "hunter2"),
            Arguments.of("kubectl create secret from literals",
                "kubectl create secret generic db --from-literal=username=app --from-literal=password=hunter2",
                "kubectl create secret generic db --from-literal=username=app --from-literal=password=********",
                "hunter2"),
            // vendor tokens
            Arguments.of("GitHub token in a clone URL",
                "git clone https://" + GHP + "@github.com/org/repo.git",
                "git clone https://ghp_" + "*".repeat(36) + "@github.com/org/repo.git", GHP.substring(4)),
            Arguments.of("GitLab token in a log",
                "pushing with glpat-AbCdEfGhIjKlMnOpQrSt done",
                "pushing with glpat-******************** done", "AbCdEfGhIjKlMnOpQrSt"),
            Arguments.of("Slack bot token",
                "slack client xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx ready",
                "slack client xoxb-" + "*".repeat(51) + " ready", "AbCdEfGhIjKlMnOpQrStUvWx"),
            Arguments.of("Slack webhook URL",
                "posting to https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
                "posting to https://hooks.slack.com/services/T00000000/B00000000/" + "*".repeat(24),
                "XXXXXXXXXXXXXXXXXXXXXXXX"),
            Arguments.of("Anthropic API key",
                "client init with sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz012345 ok",
                "client init with sk-ant-" + "*".repeat("api03-AbCdEfGhIjKlMnOpQrStUvWxYz012345".length()) + " ok", "AbCdEfGhIjKlMnOpQrStUvWxYz012345"),
            Arguments.of("Vault token",
                "vault login hvs.CAESIJlU9JMYEhOPYv4igdhm9PnK",
                "vault login hvs." + "*".repeat("CAESIJlU9JMYEhOPYv4igdhm9PnK".length()), "CAESIJlU9JMYEhOPYv4igdhm9PnK"),
            Arguments.of("Azure storage connection string",
                "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=Zm9vYmFyYmF6cXV4+/==;EndpointSuffix=core",
                "DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=********;EndpointSuffix=core",
                "Zm9vYmFyYmF6cXV4"),
            Arguments.of("Kafka JAAS config",
                "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
                    + "username=\"app\" password=\"k4fk4-pw\";",
                "sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required "
                    + "username=\"app\" password=\"********\";", "k4fk4-pw"),
            Arguments.of("npm auth token",
                "//registry.npmjs.org/:_authToken=npm_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
                "//registry.npmjs.org/:_authToken=********", "AbCdEfGhIjKlMnOpQrStUvWxYz"),
            // Kubernetes-shaped text
            Arguments.of("docker config auths",
                "{\"auths\":{\"registry.example.com\":{\"auth\":\"dXNlcjpodW50ZXIy\"}}}",
                "{\"auths\":{\"registry.example.com\":{\"auth\":\"********\"}}}", "dXNlcjpodW50ZXIy"),
            Arguments.of("kubeconfig client key data (certificate data kept)",
                "    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0t\n"
                    + "    client-key-data: LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVkt\n",
                "    client-certificate-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0t\n"
                    + "    client-key-data: ********\n", "LS0tLS1CRUdJTiBSU0EgUFJJVkFURSBLRVkt"),
            Arguments.of("kubectl describe pod env (value and reference)",
                "    Environment:\n      DB_PASSWORD:  hunter2\n"
                    + "      API_TOKEN:    <set to the key 'token' in secret 'api'>  Optional: false\n",
                "    Environment:\n      DB_PASSWORD:  ********\n"
                    + "      API_TOKEN:    <set to the key 'token' in secret 'api'>  Optional: false\n", "hunter2"),
            Arguments.of("container env in YAML",
                "    env:\n    - name: DB_PASSWORD\n      value: hunter2\n    - name: LOG_LEVEL\n      value: debug\n",
                "    env:\n    - name: DB_PASSWORD\n      value: ********\n    - name: LOG_LEVEL\n      value: debug\n",
                "hunter2"),
            Arguments.of("container env in JSON",
                "{\"name\": \"API_TOKEN\", \"value\": \"abc\"}, {\"name\": \"MODE\", \"value\": \"fast\"}",
                "{\"name\": \"API_TOKEN\", \"value\": \"********\"}, {\"name\": \"MODE\", \"value\": \"fast\"}",
                "\"abc\""),
            Arguments.of("kubectl describe secret of a service account token",
                "Data\n====\nca.crt:     1066 bytes\nnamespace:  7 bytes\ntoken:      " + JWT + "\n",
                "Data\n====\nca.crt:     1066 bytes\nnamespace:  7 bytes\ntoken:      ********\n", "SflKxwRJ"),
            // other tools
            Arguments.of(".netrc on one line",
                "machine api.example.com login bob password s3cr3t",
                "machine api.example.com login bob password ********", "s3cr3t"),
            Arguments.of(".netrc on several lines",
                "machine github.com\n  login bob\n  password s3cr3t\n",
                "machine github.com\n  login bob\n  password ********\n", "s3cr3t"),
            Arguments.of("command-line flag",
                "exec: /usr/bin/app --db-password hunter2 --port 8080",
                "exec: /usr/bin/app --db-password ******** --port 8080", "hunter2"),
            Arguments.of("mysql command line",
                "mysql -h db -u root --password=hunter2 app",
                "mysql -h db -u root --password=******** app", "hunter2"),
            Arguments.of("SQL IDENTIFIED BY",
                "CREATE USER 'app'@'%' IDENTIFIED BY 'hunter2';",
                "CREATE USER 'app'@'%' IDENTIFIED BY '********';", "hunter2"),
            Arguments.of("SQL WITH PASSWORD",
                "ALTER ROLE app WITH LOGIN PASSWORD 'hunter2';",
                "ALTER ROLE app WITH LOGIN PASSWORD '********';", "hunter2"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("secrets")
    void masksTheSecretAndKeepsTheShape(String name, String input, String expected, String secret) {
        String out = redactor.redact(input);

        assertThat(out).as(name).doesNotContain(secret).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("secrets")
    void isIdempotent(String name, String input, String expected, String secret) {
        String once = redactor.redact(input);

        assertThat(redactor.redact(once)).as(name).isEqualTo(once);
        assertThat(redactor.redactWithCounts(once).changed()).as(name).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("secrets")
    void countsAtLeastOneRule(String name, String input, String expected, String secret) {
        Result r = redactor.redactWithCounts(input);

        assertThat(r.text()).isEqualTo(redactor.redact(input));
        assertThat(r.changed()).as(name).isTrue();
        assertThat(r.total()).isPositive();
    }
}
