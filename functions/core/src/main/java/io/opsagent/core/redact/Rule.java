package io.opsagent.core.redact;

/**
 * The redaction rules, each with a stable id used in {@link Result#counts()} and in the benchmark output.
 * The order of the constants is the order in which the rules run over a text.
 */
public enum Rule {
    /** PEM private key block: header and footer kept, body replaced by {@code ****}. */
    PRIVATE_KEY("private-key"),
    /** Values under {@code data:} / {@code stringData:} of a {@code kind: Secret} manifest (YAML or JSON text). */
    K8S_SECRET_DATA("k8s-secret-data"),
    /** A container env var with a secret-looking name: {@code - name: DB_PASSWORD / value: ...}. */
    ENV_SECRET_VALUE("env-secret-value"),
    /**
     * {@code Authorization:} / {@code Proxy-Authorization:} header value: scheme kept, credential → {@code ****}
     * (Digest, NTLM, Negotiate and AWS SigV4: all parameters); {@code Cookie:} / {@code Set-Cookie:} value →
     * {@code ****}.
     */
    AUTH_HEADER("auth-header"),
    /** {@code Bearer <token>} outside an Authorization header. */
    BEARER_TOKEN("bearer-token"),
    /** {@code Basic <base64 user:pass>} outside an Authorization header. */
    BASIC_AUTH("basic-auth"),
    /** Password in URL user info: {@code scheme://user:****@host}, also Oracle {@code user/****@host}. */
    URL_CREDENTIALS("url-credentials"),
    /** Signed-URL query parameters ({@code X-Amz-Signature=}, {@code sig=}, ...). */
    URL_SIGNATURE("url-signature"),
    /** Command-line flags: {@code --password ****}. */
    CLI_FLAG("cli-flag"),
    /** .netrc {@code password} entries. */
    NETRC("netrc"),
    /** SQL {@code IDENTIFIED BY '...'} / {@code PASSWORD '...'}. */
    SQL_PASSWORD("sql-password"),
    /** {@code aws_secret_access_key = ...} and its spellings (SecretAccessKey, AWS_SECRET_ACCESS_KEY). */
    AWS_SECRET_KEY("aws-secret-key"),
    /** Any other secret-looking key with a value: {@code password=}, {@code "token": "..."}, {@code api_key: ...}. */
    SECRET_KEY_VALUE("secret-key-value"),
    /** Provider tokens with a well-known prefix: GitHub, GitLab, Slack, Google API, Stripe, Anthropic, OpenAI, Vault. */
    VENDOR_TOKEN("vendor-token"),
    /** AWS access key ids (AKIA..., ASIA...): 4-character prefix kept. */
    AWS_ACCESS_KEY_ID("aws-access-key-id"),
    /** JSON Web Tokens: {@code eyJ****.****.****}. */
    JWT("jwt"),
    /** A bare 40-character AWS secret key next to an access key id or the word "aws". */
    AWS_SECRET_KEY_BARE("aws-secret-key-bare");

    private final String id;

    Rule(String id) {
        this.id = id;
    }

    /** Stable, lower-case id of the rule. */
    public String id() {
        return id;
    }
}
