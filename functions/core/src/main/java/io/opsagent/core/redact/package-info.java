/**
 * Redaction of secrets in evidence before it leaves core (to a model, to storage, to the screen).
 *
 * <p>Entry point: {@link io.opsagent.core.redact.Redactor}. The shape is kept, never the value:
 * <table>
 * <caption>Masks per rule (rule ids as in {@link io.opsagent.core.redact.Rule})</caption>
 * <tr><th>rule</th><th>example input</th><th>output</th></tr>
 * <tr><td>aws-access-key-id</td><td>AKIAIOSFODNN7EXAMPLE</td><td>AKIA**************** (4-char prefix kept,
 *     same length)</td></tr>
 * <tr><td>aws-secret-key, secret-key-value</td><td>password=hunter2, "token": "x", api_key: y</td>
 *     <td>password=********, "token": "********" (key, separator and quotes kept; always 8 stars, the length
 *     is not revealed)</td></tr>
 * <tr><td>aws-secret-key-bare</td><td>a 40-char mixed-case key on a line with an access key id or "aws"</td>
 *     <td>40 stars</td></tr>
 * <tr><td>auth-header</td><td>Authorization: Bearer x / Basic x / Digest ... ; Cookie: a=b</td>
 *     <td>Authorization: Bearer ****, Cookie: ****</td></tr>
 * <tr><td>bearer-token, basic-auth</td><td>bearer 9f8e7d6c5b4a39281706</td><td>bearer ****</td></tr>
 * <tr><td>jwt</td><td>eyJhbGci...eyJzdWIi...sig</td><td>eyJ****.****.****</td></tr>
 * <tr><td>url-credentials</td><td>postgres://app:pw@db/x, jdbc:oracle:thin:scott/tiger@h</td>
 *     <td>postgres://app:********@db/x (user kept)</td></tr>
 * <tr><td>url-signature</td><td>?X-Amz-Signature=..., &amp;sig=...</td><td>=********</td></tr>
 * <tr><td>vendor-token</td><td>ghp_..., glpat-..., xoxb-..., AIza..., sk_live_..., sk-ant-..., hvs.</td>
 *     <td>prefix kept, rest one star per character</td></tr>
 * <tr><td>private-key</td><td>-----BEGIN ... PRIVATE KEY----- body -----END ...</td>
 *     <td>BEGIN and END lines kept, body replaced by one line ****</td></tr>
 * <tr><td>k8s-secret-data</td><td>data:/stringData: of kind: Secret (YAML or JSON text, or a JSON tree)</td>
 *     <td>keys kept, values ********</td></tr>
 * <tr><td>env-secret-value</td><td>- name: DB_PASSWORD / value: x</td><td>value: ********</td></tr>
 * <tr><td>cli-flag, netrc, sql-password</td><td>--password x, password x, IDENTIFIED BY 'x'</td>
 *     <td>--password ********, IDENTIFIED BY '********'</td></tr>
 * </table>
 *
 * <p>Not masked, on purpose: placeholders and references ({@code <none>}, {@code null}, {@code true},
 * {@code ${VAR}}, {@code $(VAR)}, {@code {{ .Values.x }}}, {@code <set to the key ...>}), byte counts of
 * {@code kubectl describe secret}, secret <em>names</em> ({@code secretName}, {@code secretKeyRef}), words in prose
 * ("password reset", "token bucket", "Failed password for"), and {@code key: value} in the middle of a log line
 * when the value does not look generated (letters and digits, 6+ characters) — "auth:SIMPLE" and
 * "(using password: YES)" are not secrets.
 */
package io.opsagent.core.redact;
