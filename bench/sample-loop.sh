#!/bin/bash
# The benchmark's baseline for the shell runtime: the loop of the official FunctionGraph sample
# (docs "custom runtime languages", restated in /work/shared/runtime-api.md), per invocation two curls
# plus mktemp, grep, tr and cut. The benchmark runs it under bash, where the sample's
# `set -o pipefail` works (under dash, Debian's /bin/sh, the sample exits at once; the option is
# set only when bash runs it, so the file still runs under dash). Changed only so that it answers
# like the others: the response is the generated handler scaffold's (the event wrapped in an
# API-Gateway result), built by string interpolation, no process; the POST's answer goes to
# /dev/null. It still leaks one mktemp file per invocation, as the sample does: the benchmark points
# TMPDIR to a scratch folder that it deletes afterwards.
if [ -n "${BASH_VERSION:-}" ]; then
	set -o pipefail
fi
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
