# shellcheck shell=sh
# Your handler: fg-bootgen created this file once and never rewrites it (unless --force).
#
# bootstrap sources this file once at start (put one-time setup here), then runs `handler` in a
# subshell for every invocation, under `set -eu`: the event is on stdin (a file), the response
# goes to stdout, and exit status 0 means success. Any other status is reported as an error
# (Function.HandlerError; above 128, a signal: Function.HandlerPanic) whose message is the last
# line the handler wrote to stderr. The context is in exported variables:
# FG_REQUEST_ID (X-Cff-Request-Id),
# FG_ACCESS_KEY (X-CFF-Access-Key),
# FG_AUTH_TOKEN (X-CFF-Auth-Token; a secret: never print it),
# FG_INVOKE_TYPE (X-CFF-Invoke-Type),
# FG_SECRET_KEY (X-CFF-Secret-Key; a secret: never print it),
# FG_SECURITY_TOKEN (X-CFF-Security-Token; a secret: never print it),
# FG_TRACE_ID (X-Cff-Trace-Id),
# FG_DEADLINE_MS (milliseconds since the epoch; `fg_remaining_ms` prints the time left),
# and the function's settings: RUNTIME_PROJECT_ID RUNTIME_FUNC_NAME RUNTIME_FUNC_VERSION RUNTIME_PACKAGE RUNTIME_HANDLER RUNTIME_TIMEOUT RUNTIME_USERDATA RUNTIME_CPU RUNTIME_MEMORY RUNTIME_CODE_ROOT RUNTIME_REGION.

# The answer's envelope, in the shape API Gateway expects; the event goes in "body" as received.
response_head='{"statusCode":200,"isBase64Encoded":false,"headers":{"Content-Type":"application/json"},"body":'
response_tail='}'

# handler answers a JSON event with the event itself wrapped in response_head and response_tail;
# any other event is an error. fg_json_copy (from bootstrap) copies stdin to stdout and fails if
# it is not valid JSON; the output of a failed handler is discarded.
handler() {
	printf '%s' "$response_head"
	if ! fg_json_copy; then
		echo 'the event is not valid JSON' >&2
		return 1
	fi
	printf '%s' "$response_tail"
}
