#!/bin/sh
# The shell output's event probe (test/events/shell.ts): probe.sh OUT_DIR EVENT_FILE reads the APIG
# request in EVENT_FILE with fg_apig_read from OUT_DIR/fgevents.sh and prints, as JSON, its role
# fields under the generated keys ({"event": {...}, "decoded": {"body": <the decoded body, as
# text>}}). The body field is the decoded bytes again: their base64 when the request had it.
set -eu
fg_tmp=$(mktemp -d "${TMPDIR:-/tmp}/fg-probe.XXXXXX")
trap 'rm -rf "$fg_tmp"' EXIT
# shellcheck source=/dev/null # generated; checked by the shell lint test.
. "$1/fgevents.sh"
status=0
fg_apig_read <"$2" || status=$?
if [ "$status" -ne 0 ]; then
	echo "fg_apig_read: exit status $status (2: not an APIG request)" >&2
	exit 1
fi
# shellcheck disable=SC2154 # fg_k_* come from fgevents.sh.
{
	printf '{"event":{%s:%s' "$(fg_json_quote "$fg_k_method")" "$(fg_json_quote "$FG_APIG_METHOD")"
	printf ',%s:%s' "$(fg_json_quote "$fg_k_path")" "$(fg_json_quote "$FG_APIG_PATH")"
	printf ',%s:%s' "$(fg_json_quote "$fg_k_query")" "$FG_APIG_QUERY"
	printf ',%s:%s' "$(fg_json_quote "$fg_k_base64")" "$FG_APIG_BASE64"
	printf ',%s:' "$(fg_json_quote "$fg_k_body")"
	if [ "$FG_APIG_BASE64" = true ]; then
		printf '"%s"' "$(base64 <"$FG_APIG_BODY" | tr -d '\n')"
	else
		fg_json_string <"$FG_APIG_BODY"
	fi
	printf '},"decoded":{"body":'
	fg_json_string <"$FG_APIG_BODY"
	printf '}}\n'
}
