# Runs in the guest (tools/vm/run): every suite in /ksc/tests/suites (or
# those named in $SUITES), in order, each printing its own 'NAME: N passed,
# N failed' line, its output also kept in /out/NAME.log for the host.
# Exits non-zero when a suite failed.
status=0
for suite in /ksc/tests/suites/*.sh; do
	name=$(basename "$suite" .sh)
	case " ${SUITES:-$name} " in *" $name "*) ;; *) continue ;; esac
	sh "$suite" 2>&1 | tee "/out/$name.log"
	[ "$(tail -n 1 "/out/$name.log" | grep -c ' 0 failed$')" = 1 ] || status=1
done
exit $status
