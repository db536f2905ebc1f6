#!/bin/sh
# The benchmark's baseline for the shell runtime: the loop of the official FunctionGraph sample
# (docs "custom runtime languages", restated in /work/shared/runtime-api.md), per invocation two curls
# plus mktemp, grep, tr and cut. Changed only so that it runs under dash and answers like the others:
# - no `set -o pipefail` (dash rejects it, so the original exits at once);
# - the response is the generated handler scaffold's (the event wrapped in an API-Gateway result),
#   built by string interpolation, no process; the POST's answer goes to /dev/null.
# It still leaks one mktemp file per invocation, as the sample does: the benchmark points TMPDIR to a
# scratch folder that it deletes afterwards.
while true; do
	HEADERS="$(mktemp)"
	# Get an event
	EVENT_DATA=$(curl -sS -LD "$HEADERS" -X GET "http://$RUNTIME_API_ADDR/v1/runtime/invocation/request")
	# Get request id from response header
	REQUEST_ID=$(grep -Fi x-cff-request-id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)
	if [ -z "$REQUEST_ID" ]; then
		continue
	fi
	RESPONSE="{\"statusCode\":200,\"isBase64Encoded\":false,\"headers\":{\"Content-Type\":\"application/json\"},\"body\":$EVENT_DATA}"
	# Put response
	curl -sS -X POST "http://$RUNTIME_API_ADDR/v1/runtime/invocation/response/$REQUEST_ID" -d "$RESPONSE" >/dev/null
done
