#!/bin/sh
# Handler of the OpsAgent chat function. The Lambda Web Adapter layer (AWS_LAMBDA_EXEC_WRAPPER=/opt/bootstrap) runs
# this script, waits until GET $AWS_LWA_READINESS_CHECK_PATH (/healthz) answers on 127.0.0.1:$AWS_LWA_PORT, then
# forwards every Function URL request there and streams the response back (AWS_LWA_INVOKE_MODE=response_stream).
# The server is the same HTTP application as `opsagent up` (io.opsagent.app.http.HttpApp) behind a JWT gate.
#
# JVM flags for a short-lived environment with 1-2 vCPUs:
#   TieredStopAtLevel=1   C1 only: fastest start-up; the chat waits on the model, not on the CPU
#   Xshare:auto           use the JDK's class-data-sharing archive when there is one
#   UseSerialGC           one GC thread and the smallest footprint on <= 2 vCPUs
#   MaxRAMPercentage=75   heap sized from the function's memory setting
#   ExitOnOutOfMemoryError  a broken environment exits and Lambda starts a fresh one
#   -UsePerfData          no hsperfdata file (less start-up I/O)
# Extra flags: OPSAGENT_JAVA_OPTS. The jar is lib/opsagent-lambda.jar next to this script ($LAMBDA_TASK_ROOT).
JAVA_FLAGS="-XX:+TieredCompilation -XX:TieredStopAtLevel=1 -Xshare:auto -XX:+UseSerialGC -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:-UsePerfData -Djava.net.preferIPv4Stack=true"
# shellcheck disable=SC2086 # the flags are words
exec java $JAVA_FLAGS $OPSAGENT_JAVA_OPTS -cp "${LAMBDA_TASK_ROOT:-$(dirname "$0")}/lib/*" io.opsagent.lambda.ChatServer
