# common.sh: shell functions shared by setup.sh and test.sh (sourced, not
# run).  Expects $top (absolute source directory) and $build (build
# directory, already created) to be set.

# quiet LOG CMD...: run CMD with its output in LOG; on failure show the
# last 40 lines of LOG and return CMD's status.
quiet()
{
	_log=$1
	shift
	if "$@" >"$_log" 2>&1; then
		return 0
	else
		_rc=$?
		echo "failed: $*" >&2
		tail -n 40 "$_log" >&2
		return $_rc
	fi
}

# ensure_configure: generate ./configure when it is missing.
ensure_configure()
{
	if [ ! -x "$top/configure" ]; then
		echo "==> ./autogen.sh"
		quiet "$build/autogen.out" sh "$top/autogen.sh"
	fi
}
