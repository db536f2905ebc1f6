# shellcheck shell=sh
# The conformance suite's test handler (replaces the scaffold's handler.sh in a copy of the build).
# The event chooses what it does: {"op":"throw"}, {"op":"panic"}, {"op":"exit"},
# {"op":"sleep","ms":N}, {"op":"context"}, {"op":"log"}, {"op":"deep"} (100 stderr lines, then
# exit 1), {"op":"logbig","bytes":N}; with the helpers of fgevents.sh
# (docs/events-contract.md): {"op":"apig-json"}, {"op":"apig-text"}, {"op":"apig-binary"},
# {"op":"logger"}, {"op":"userdata"}; anything else is echoed as is. One mode: FG_TEST_MODE is
# ignored. (The shell handler API has no explicit errorType, so there is no "typed".)

# The runtime runs this once when it is stopped (SIGTERM, SIGINT).
shutdown() {
	echo "test handler: shutdown hook ran" >&2
}

handler() {
	# A big event is echoed as it streams (no op is that long); a small one is read whole, trailing
	# newlines included. The size: the runtime's fg_event_size, else wc.
	size=${fg_event_size:-$(($(wc -c <"$FG_EVENT_FILE")))}
	if [ "$size" -gt 4096 ]; then
		exec cat
	fi
	event=$(
		cat
		printf x
	)
	event=${event%x}
	case $event in
	*'"op":"deep"'*)
		i=1
		while [ "$i" -le 100 ]; do
			echo "line $i" >&2
			i=$((i + 1))
		done
		exit 1
		;;
	*'"op":"logbig"'*)
		bytes=${event#*'"bytes":'}
		bytes=${bytes%%[!0-9]*}
		# The 10-byte unit, doubled up to the length asked for.
		n=$((bytes / 10))
		unit='ü€😀x'
		message=''
		while [ "$n" -gt 0 ]; do
			if [ $((n % 2)) -eq 1 ]; then
				message=$message$unit
			fi
			unit=$unit$unit
			n=$((n / 2))
		done
		fg_log INFO "$message"
		printf logged
		;;
	*'"op":"throw"'*)
		echo "thrown by the test handler" >&2
		return 1
		;;
	*'"op":"panic"'*)
		# Killed by a signal (exit status 137): the runtime's "panic".
		echo "panicked in the test handler" >&2
		sh -c 'kill -s KILL $PPID'
		;;
	*'"op":"exit"'*)
		exit 3
		;;
	*'"op":"sleep"'*)
		ms=${event#*'"ms":'}
		ms=${ms%%[!0-9]*}
		sleep "$((ms / 1000))"
		printf slept
		;;
	*'"op":"context"'*)
		# The runtime's helper when it has one, else FG_DEADLINE_MS against the clock.
		remaining=
		if command -v fg_remaining_ms >/dev/null 2>&1; then
			remaining=$(fg_remaining_ms) || remaining=
		fi
		if [ -z "$remaining" ] && [ -n "${FG_DEADLINE_MS:-}" ]; then
			now=$(date +%s%3N)
			case $now in *N) now=$(($(date +%s) * 1000)) ;; esac
			remaining=$((FG_DEADLINE_MS - now))
		fi
		printf 'requestId\t%s\n' "${FG_REQUEST_ID-}"
		printf 'accessKey\t%s\n' "${FG_ACCESS_KEY-}"
		printf 'authToken\t%s\n' "${FG_AUTH_TOKEN-}"
		printf 'invokeType\t%s\n' "${FG_INVOKE_TYPE-}"
		printf 'secretKey\t%s\n' "${FG_SECRET_KEY-}"
		printf 'securityAccessKey\t%s\n' "${FG_SECURITY_ACCESS_KEY-}"
		printf 'securitySecretKey\t%s\n' "${FG_SECURITY_SECRET_KEY-}"
		printf 'securityToken\t%s\n' "${FG_SECURITY_TOKEN-}"
		printf 'projectId\t%s\n' "${RUNTIME_PROJECT_ID-}"
		printf 'functionName\t%s\n' "${RUNTIME_FUNC_NAME-}"
		printf 'functionVersion\t%s\n' "${RUNTIME_FUNC_VERSION-}"
		printf 'package\t%s\n' "${RUNTIME_PACKAGE-}"
		printf 'handler\t%s\n' "${RUNTIME_HANDLER-}"
		printf 'timeoutSeconds\t%s\n' "${RUNTIME_TIMEOUT-}"
		printf 'userData\t%s\n' "${RUNTIME_USERDATA-}"
		printf 'cpu\t%s\n' "${RUNTIME_CPU-}"
		printf 'memoryMb\t%s\n' "${RUNTIME_MEMORY-}"
		printf 'codeRoot\t%s\n' "${RUNTIME_CODE_ROOT-}"
		printf 'logFormat\t%s\n' "${FG_LOG_FORMAT-}"
		printf 'remainingMs\t%s\n' "$remaining"
		;;
	*'"op":"apig-json"'*)
		printf '{"ok":true,"n":[1,2]}' | fg_apig_json 201
		;;
	*'"op":"apig-text"'*)
		printf 'grüße ✓' | fg_apig_text
		;;
	*'"op":"apig-binary"'*)
		LC_ALL=C awk 'BEGIN { for (i = 0; i < 256; i++) printf "%c", i }' | fg_apig_binary
		;;
	*'"op":"logger"'*)
		fg_log INFO 'hello from the context logger'
		fg_log WARN careful
		printf logged
		;;
	*'"op":"userdata"'*)
		fg_user_data msg
		;;
	*'"op":"log"'*)
		# Shell has no redacting type: a handler logs what it chooses (never the secrets).
		echo "context: request ${FG_REQUEST_ID-} invoked ${FG_INVOKE_TYPE-} access key ${FG_ACCESS_KEY-}" >&2
		printf logged
		;;
	*)
		printf '%s' "$event"
		;;
	esac
}
