/**
 * The Lambda functions of the AWS SAM application (template.yaml): thin entry points over {@code io.opsagent.app}.
 * Clients are created once per execution environment from the environment ({@code io.opsagent.app.config.Settings}).
 */
package io.opsagent.lambda;
