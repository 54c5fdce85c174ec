#!/bin/bash
# A stand-in for util-vserver's `vserver` script, for tests only: the part of it that `vserver
# <name> hashify` goes through, written from spec section 9.1 (not from upstream's code). Tests
# use it where a real util-vserver installation would be: it sources util-vserver-vars, parses the
# global options with getopt(1) and does not forward them, resolves the guest directory, fails
# with upstream's exit 5 text or usage line, and finally runs
# `$_VHASHIFY <arguments after "hashify"> <name>` with INIT_CWD set and the working directory /.
# Like the real script it exports UTIL_VSERVER_VARS only when it came from the environment.
# The commands that start, stop or build guests are not simulated.
set -euo pipefail

# Step 1: the installation. Real installations rewrite this literal when util-vserver lives
# elsewhere; tests do the same to a copy of this file.
: "${UTIL_VSERVER_VARS:=/usr/lib/util-vserver/util-vserver-vars}"
test -e "$UTIL_VSERVER_VARS" || {
	echo "Can not find util-vserver installation (the file '$UTIL_VSERVER_VARS' would be expected); aborting..." >&2
	exit 1
}
# shellcheck source=/dev/null # the installation's file, not known here
. "$UTIL_VSERVER_VARS"
# (The real script also sources its function library, $_LIB_FUNCTIONS; nothing below needs it.)

# Step 2: global options; none of them reaches vhashify.
parsed=$(getopt -o +sv --long 'nonamespace,--nonamespace,--insecure,defaulttty,help,debug,strace,debug-sysv,version,sync,verbose,silent' -n "$0" -- "$@") || exit 1
eval set -- "$parsed"
option_debug=
while true; do
	case $1 in
	--help)
		echo "Usage: $(basename -- "$0") [-s|--sync] [-v|--verbose] [--silent] [--debug] [--] <vserver> <command> <args>*"
		echo "(test stand-in for util-vserver's vserver: only 'hashify' and 'unify' are dispatched)"
		exit 0
		;;
	--version)
		echo "vserver (test stand-in) -- dispatches 'hashify' as util-vserver's vserver does"
		exit 0
		;;
	--debug)
		option_debug=$1
		set -x
		;;
	-v | --verbose | -s | --sync | --silent | ----nonamespace | --defaulttty | ----insecure | --strace | --debug-sysv*) ;;
	--)
		shift
		break
		;;
	*)
		# What getopt accepts but the script does not handle, e.g. --nonamespace.
		echo "vserver: internal error; arg=='$1'" >&2
		exit 1
		;;
	esac
	shift
done

# Step 3: the name and the command. `build` is dispatched before the name is looked at.
name=${1-}
command=${2-}
if [ "$command" = build ]; then
	shift 2
	# shellcheck disable=SC2086 # _VNAMESPACE holds a command with its options, as upstream uses it
	exec ${_VNAMESPACE-} --new -- "${_VSERVER_BUILD-}" $option_debug -n "$name" "$@"
fi

# Step 4: the guest directory. One trailing slash goes; the rest of the name stays as typed.
name=${name%/}
case $name in
./*) guest_dir="$(pwd)/$name" ;;
/*) guest_dir=$name ;;
*)
	# A context id of a running guest, on a Linux-VServer kernel only.
	context=$(vuname --get --xid "$name" 2>/dev/null) || context=
	if [ -n "$context" ] && [ -d "$context" ]; then
		guest_dir=$context
	else
		guest_dir=$__CONFDIR/$name
		legacy=
		[ ! -e "$guest_dir/legacy" ] || legacy=1
		[ -d "$guest_dir" ] || [ ! -e "$__CONFDIR/$name.conf" ] || legacy=1
		if [ -n "$legacy" ]; then
			echo "WARNING: can not find configuration, assuming legacy method" >&2
			exec "${_VSERVER_LEGACY-}" "$@"
		fi
	fi
	;;
esac

# Step 5: no such guest. The text ends with an empty line.
if [ ! -d "$guest_dir" ]; then
	printf "Can not find a vserver-setup at '%s/'.\n\nPossible solutions:\n" "$guest_dir" >&2
	printf "* fix the spelling of the '%s' vserver name\n" "$name" >&2
	printf "* read 'vserver %s build --help' about ways to create a new vserver\n" "$name" >&2
	printf "* see 'vserver --help' for the syntax of this command\n\n" >&2
	exit 5
fi

# Step 6: hand over to the program, with the name as typed (QUIRK Q30), from the directory /.
INIT_CWD=$(pwd)
export INIT_CWD
cd /
case $command in
hashify)
	shift 2
	# shellcheck disable=SC2086 # unquoted on purpose: upstream splits the variable into words
	exec ${_VHASHIFY} "$@" "$name"
	;;
unify)
	shift 2
	# shellcheck disable=SC2086 # as above
	exec ${_VUNIFY} "$@" "$name"
	;;
start | stop | suexec | restart | condrestart | exec | enter | chkconfig | running | status | delete | pkg | pkgmgmt | apt-get | apt-config | apt-cache | rpm)
	echo "upstream-vserver-standin: the command '$command' is not simulated" >&2
	exit 70
	;;
*)
	# Step 7: a missing or unknown command.
	echo "Usage: $0 <vserver> {start|stop|suexec|restart|condrestart|exec|enter|chkconfig|running|status|delete}" >&2
	exit 2
	;;
esac
