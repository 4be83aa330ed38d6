# bash completion for vigie(1), vigied(8) and vigie-web(8); installed by `make install`
# into share/bash-completion/completions/. Commands and options follow
# SPEC 10; alert ids, rule ids and units are not completed (they live in a
# database the user may not be able to read).

_vigie_opts() {
	case $1 in
	check) echo "-c --config --help" ;;
	import) echo "-c --config --help --dry-run --format" ;;
	eval) echo "-c --config --help --at --rule --unit --format" ;;
	backtest) echo "-c --config --help --from --to --rule --format" ;;
	test) echo "-c --config --help --format" ;;
	alerts) echo "-c --config --help --all --format" ;;
	ack) echo "-c --config --help --by --note" ;;
	silence) echo "-c --config --help --rule --unit --until --reason" ;;
	silences) echo "-c --config --help --format" ;;
	unsilence) echo "-c --config --help" ;;
	history) echo "-c --config --help --format" ;;
	status) echo "-c --config --help --format" ;;
	notify-test) echo "-c --config --help --unit --format" ;;
	report) echo "-c --config --help --from --to --unit --format -o" ;;
	user) echo "-c --config --help --role --scope --password-stdin --format" ;;
	audit) echo "-c --config --help --since --format" ;;
	delete) echo "-c --config --help --period --unit --indicator --dry-run --format" ;;
	rename) echo "-c --config --help --merge --dry-run --format" ;;
	retry) echo "-c --config --help --failed --since --format" ;;
	help) echo "" ;;
	esac
}

_vigie() {
	local cur prev cmds cmd i
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	cmds="check import eval backtest test alerts ack silence silences unsilence
	    history status notify-test report user audit delete rename retry help"
	cmd=
	for ((i = 1; i < COMP_CWORD; i++)); do
		case ${COMP_WORDS[i]} in
		-c|--config) ((i++)) ;;
		-*) ;;
		*) cmd=${COMP_WORDS[i]}; break ;;
		esac
	done
	case $prev in
	-c|--config|-o)
		COMPREPLY=($(compgen -f -- "$cur")); return ;;
	--format)
		if [ "$cmd" = report ]; then
			COMPREPLY=($(compgen -W "html pdf json" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "text json" -- "$cur"))
		fi
		return ;;
	--role)
		COMPREPLY=($(compgen -W "social-worker hr ops" -- "$cur")); return ;;
	esac
	if [ -z "$cmd" ]; then
		COMPREPLY=($(compgen -W "$cmds -c --config --help --version" -- "$cur"))
		return
	fi
	case $cur in
	-*) COMPREPLY=($(compgen -W "$(_vigie_opts "$cmd")" -- "$cur")) ;;
	*)
		case $cmd in
		help) COMPREPLY=($(compgen -W "$cmds" -- "$cur")) ;;
		user) [ "$prev" = user ] && COMPREPLY=($(compgen -W "add passwd del list" -- "$cur")) ;;
		import|test|check) COMPREPLY=($(compgen -f -- "$cur")) ;;
		esac ;;
	esac
}
complete -F _vigie vigie

_vigied() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
	-c|--config) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	esac
	COMPREPLY=($(compgen -W "-c --config --once --check --version --help" -- "$cur"))
}
complete -F _vigied vigied

_vigie_web() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
	case $prev in
	-c|--config) COMPREPLY=($(compgen -f -- "$cur")); return ;;
	esac
	COMPREPLY=($(compgen -W "-c --config --check --version --help" -- "$cur"))
}
complete -F _vigie_web vigie-web
