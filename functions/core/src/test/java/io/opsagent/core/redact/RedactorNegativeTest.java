package io.opsagent.core.redact;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Text that looks technical but holds no secret must come out unchanged (false positives are defects). */
class RedactorNegativeTest {
    private final Redactor redactor = new Redactor();

    @ParameterizedTest
    @ValueSource(strings = {
        "request 550e8400-e29b-41d4-a716-446655440000 completed in 12ms",
        "HEAD is now at 9fceb02d0ae598e95dc970b74767f19372d61af8 Fix retry",
        "aws s3 sync done, etag 9fceb02d0ae598e95dc970b74767f19372d61af8",
        "Pulled image nginx@sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31",
        "pod default/api-7d9f8b6c5-x2kq9 is Running on ip-10-0-1-23.ec2.internal",
        "2024-05-01T12:00:01.123Z 10.0.0.5:8080 -> 172.16.3.4:5432",
        "token bucket refill rate 100/s, burst 20",
        "password reset requested for user bob",
        "Failed password for invalid user admin from 10.0.0.5 port 22 ssh2",
        "pam_unix(sshd:auth): authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=218.188.2.4",
        "Auth successful for job_1445144423722_0020 (auth:SIMPLE)",
        "Kind: YARN_AM_RM_TOKEN, Service: , Ident: (appAttemptId { id: 20 } keyId: -127633188)",
        "Resource: <memory:1024>, Token: Token { kind: ContainerToken, service: 172.22.149.145:28345 }",
        "Default file system [hdfs://msra-sa-41:9000]",
        "see http://wiki.apache.org/hadoop/NoRouteToHost for details",
        "secret: <none>",
        "Secrets: <none>",
        "password: ${DB_PASSWORD}",
        "password: \"{{ .Values.db.password }}\"",
        "token: $(TOKEN)",
        "password: ********",
        "{\"event\": \"login\", \"password\": \"[FILTERED]\"}",
        "automountServiceAccountToken: false",
        "        secretName: db-credentials",
        "      valueFrom:\n        secretKeyRef:\n          name: db\n          key: password",
        "    TokenExpirationSeconds:  3607",
        "      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-vdbtm (ro)",
        "Error: invalid bearer token",
        "using basic authentication against LDAP",
        "max_tokens=4096 temperature=0.2",
        "token_type=Bearer expires_in=3600",
        "kubectl create secret generic db --from-file=./password.txt",
        "Warning  FailedMount  MountVolume.SetUp failed for volume \"creds\" : secret \"db\" not found",
        "Data\n====\npassword:  12 bytes\nusername:  5 bytes",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  LOG_LEVEL: debug\n  token_ttl: 60s\n",
        "export PWD=/home/bob",
        "check pass; user unknown",
        "pull access denied, repository does not exist or may require authorization: server message: "
            + "insufficient_scope: authorization failed",
        "Access denied for user 'root'@'10.0.0.1' (using password: YES)",
        "FATAL: password authentication failed for user \"app\"",
        "Cookie: <none>",
        "setting cookie policy to strict",
        "Executing with tokens:",
        "Adding #0 tokens and #1 secret keys for NM use for launching container",
        "-----BEGIN CERTIFICATE-----\nMIIDdzCCAl+gAwIBAgIEAgAAuTANBgkqhkiG9w0BAQUFADBa\n-----END CERTIFICATE-----",
    })
    void leavesTextWithoutSecretsUnchanged(String text) {
        assertThat(redactor.redact(text)).isEqualTo(text);
        assertThat(redactor.redactWithCounts(text).changed()).isFalse();
    }
}
