# shellcheck shell=sh
# Your handler: fg-bootgen created this file once and never rewrites it (unless --force).
#
# bootstrap sources fgevents.sh (the helpers: fg_apig_read, fg_apig_json, fg_apig_text,
# fg_apig_binary, fg_user_data, fg_log, ...; see README.md) and this file once at start (put
# one-time setup here), then runs `handler` in a subshell for every invocation, under `set -eu`:
# the event is on stdin (the file FG_EVENT_FILE), the response goes to stdout, and exit status 0
# means success. Any other status is reported as an error (Function.HandlerError; above 128, a
# signal: Function.HandlerPanic) whose message is the last line the handler wrote to stderr. The
# context is in exported variables:
# FG_REQUEST_ID (X-Cff-Request-Id),
# FG_ACCESS_KEY (X-CFF-Access-Key),
# FG_AUTH_TOKEN (X-CFF-Auth-Token; a secret: never print it),
# FG_INVOKE_TYPE (X-CFF-Invoke-Type),
# FG_SECRET_KEY (X-CFF-Secret-Key; a secret: never print it),
# FG_SECURITY_TOKEN (X-CFF-Security-Token; a secret: never print it),
# FG_TRACE_ID (X-Cff-Trace-Id),
# FG_DEADLINE_MS (milliseconds since the epoch; `fg_remaining_ms` prints the time left),
# and the function's settings: RUNTIME_PROJECT_ID RUNTIME_FUNC_NAME RUNTIME_FUNC_VERSION RUNTIME_PACKAGE RUNTIME_HANDLER RUNTIME_TIMEOUT RUNTIME_USERDATA RUNTIME_CPU RUNTIME_MEMORY RUNTIME_CODE_ROOT RUNTIME_REGION.
# A function named shutdown, if you define one here, runs once when the instance is stopped.

# handler answers an API Gateway request with JSON that describes it: its method, path, query
# string parameters and body (as text); any other JSON event with its text, in a response API
# Gateway accepts. An event that is not JSON is an error.
handler() {
	status=0
	fg_apig_read || status=$?
	case $status in
	0) ;;
	2)
		# JSON, but not an APIG request.
		fg_apig_json <"$FG_EVENT_FILE"
		return
		;;
	*)
		# Not JSON, or a body that is not base64: fg_apig_read said which on stderr.
		return 1
		;;
	esac
	# {"method":...,"path":...,"query":{...},"body":"<the body as text>"}, as JSON.
	{
		printf '{"method":'
		fg_json_quote "$FG_APIG_METHOD"
		printf ',"path":'
		fg_json_quote "$FG_APIG_PATH"
		printf ',"query":%s,"body":' "$FG_APIG_QUERY"
		fg_json_string <"$FG_APIG_BODY"
		printf '}'
	} | fg_apig_json
}
