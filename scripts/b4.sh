#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The mail path of the series, with Debian 12's b4 (0.12): kept as b4 prep
# keeps a series, addressed by get_maintainer.pl, written as mail and
# taken back.
#
#   b4.sh [--kernel mainline|6.12|6.1|DIR] [--patches DIR] [--results FILE]
#         [--apply-only] [--force]
#
# In a sparse work tree of the base repository, git am puts the patches
# of DIR (default: patches/ for mainline, else $LKMDEMO_CACHE/patches-<kernel>)
# on lkmdemo-base, on the b4 prep branch b4/lkmdemo, whose cover letter
# (kept in the branch description) is the 0000 patch's. b4 prep
# --auto-to-cc fills To and Cc from the tree's get_maintainer.pl; b4 send
# -o writes the messages to $LKMDEMO_CACHE/b4/<kernel>/messages and sends
# nothing; their mbox goes through b4 shazam onto lkmdemo-base in a second
# work tree, whose tree and commits must be the series'. b4 runs offline,
# with a home, git configuration and identity of its own under the cache.
# Each check is a result line. With --results a failed check is a FAIL
# line there and only a script that cannot run exits non-zero; alone, it
# ends with the summary line and fails when a check failed. A run whose
# inputs passed before is a cached pass (--force runs it again).
# --apply-only takes the messages as they are in the output directory
# (edited by hand, say) and checks and applies them against the prep
# branch of the last run.
. "$(dirname "$0")/lib.sh"

usage() {
	sed -n '4,26s/^# \{0,1\}//p' "$0"
}

patches=
own_results=1
apply_only=0
force=0
while [ $# -gt 0 ]; do
	case $1 in
	--kernel) LKMDEMO_KERNEL=${2:?--kernel needs a value}; shift 2 ;;
	--patches) patches=${2:?--patches needs a directory}; shift 2 ;;
	--results) LKMDEMO_RESULTS=${2:?--results needs a file}; own_results=0; shift 2 ;;
	--apply-only) apply_only=1; shift ;;
	--force) force=1; shift ;;
	-h|--help) usage; exit 0 ;;
	*) usage >&2; die "unknown argument: $1" ;;
	esac
done
export LKMDEMO_KERNEL

if [ "$own_results" = 1 ]; then
	LKMDEMO_RESULTS=$LKMDEMO_LOGS/b4-results.txt
	: >"$LKMDEMO_RESULTS"
fi

id=$(kernel_id)
repo=$(base_repo)
git -C "$repo" rev-parse -q --verify 'lkmdemo-base^{commit}' >/dev/null 2>&1 ||
	die "no base repository with the tag lkmdemo-base at $repo (run scripts/kernel-source.sh --kernel $LKMDEMO_KERNEL)"
base=$(git -C "$repo" rev-parse 'lkmdemo-base^{commit}')
if [ -z "$patches" ]; then
	if is_mainline; then
		patches=$LKMDEMO_TOP/patches
	else
		patches=$LKMDEMO_CACHE/patches-$id
	fi
fi
[ -d "$patches" ] || die "no patch directory $patches"
patches=$(cd "$patches" && pwd)
cover_patch=$patches/0000-cover-letter.patch
[ -f "$cover_patch" ] || die "$patches has no 0000-cover-letter.patch"
mapfile -t series < <(find "$patches" -maxdepth 1 -name '0*.patch' ! -name '0000-*' | LC_ALL=C sort)
n=${#series[@]}
[ "$n" -gt 0 ] || die "$patches has no patch after the cover letter"

need_pkgs b4
b4_version=$(b4 --version 2>&1) || die "b4 --version failed: $b4_version"
case $b4_version in
0.12.*) ;;
*) log "b4: version $b4_version; this script knows the ways of 0.12" ;;
esac

# The address of the MAINTAINERS entry, which every message must go to.
maint=$(sed -n 's/^M:\t.*<\([^>]*\)>.*/\1/p' "$LKMDEMO_TOP/MAINTAINERS.snippet" | head -n 1)
[ -n "$maint" ] || die "MAINTAINERS.snippet has no \"M:<tab>Name <address>\" line"

top=$LKMDEMO_CACHE/b4/$id
home=$top/home
msgdir=$top/messages
mbox=$top/series.mbox
prep=$LKMDEMO_CACHE/work/b4-prep-$id
amtree=$LKMDEMO_CACHE/work/b4-am-$id
blogs=$LKMDEMO_LOGS/b4
# b4 prep -n lkmdemo makes the branch b4/lkmdemo; its base is a branch at
# lkmdemo-base (b4 records the branch the series forks from).
branch=b4/lkmdemo
basebranch=lkmdemo-b4-base
ident="$LKMDEMO_GIT_NAME <$LKMDEMO_GIT_EMAIL>"
mkdir -p "$top" "$blogs"

# --- The cover letter of the 0000 patch ---

# cover_subject: the Subject of the cover letter, unfolded.
cover_subject=$(awk '/^$/ { exit }
	/^Subject: / { s = substr($0, 10); on = 1; next }
	on && /^[ \t]/ { sub(/^[ \t]+/, " "); s = s $0; next }
	{ on = 0 }
	END { print s }' "$cover_patch")
[ -n "$cover_subject" ] || die "$cover_patch has no Subject"
# cover_title: the subject without its "[PATCH ...]".
cover_title=$(printf '%s\n' "$cover_subject" | sed 's/^\[[^]]*\] *//')

# The revision and the extra prefixes ("[RFC PATCH v2 0/7]": RFC, 2).
revision=1
prefixes=()
read -r -a words <<<"$(printf '%s\n' "$cover_subject" | sed -n 's/^\[\([^]]*\)\].*/\1/p')"
for w in "${words[@]}"; do
	case $w in
	PATCH|[0-9]*/[0-9]*) ;;
	v[0-9]*) revision=${w#v} ;;
	*) prefixes+=("$w") ;;
	esac
done

# cover_text: what b4 prep keeps as the cover letter: the title, a blank
# line, and the body up to the shortlog (a line "Name (N):" followed by
# indented subjects).
cover_text=$(awk '
	!body && /^$/ { body = 1; next }
	!body { next }
	held != "" && /^  / { exit }
	held != "" { text = text held "\n"; held = "" }
	/^.* \([0-9]+\):$/ { held = $0; next }
	{ text = text $0 "\n" }
	END { sub(/\n+$/, "", text); print text }' "$cover_patch")
cover_text="$cover_title

$cover_text"

# A change-id that is the same on every run and every machine (b4 makes
# one of today's date and random bits): the date of the series' commits,
# the series name and a hash of the cover letter's title.
change_id="$(echo "${LKMDEMO_GIT_DATE%%T*}" | tr -d -)-lkmdemo-$(printf '%s' "$cover_title" |
	sha1sum | cut -c1-12)"

# --- b4 apart from the user's configuration and the network ---

# The home b4 and git see: a git configuration with the lkmdemo identity,
# the cover letter kept in the branch description, a cover letter
# template, and a "sendmail" that only records that something tried to
# send (an smtpserver also keeps b4 from the web endpoint it uses in a
# kernel tree). Not b4's default, a cover letter commit: b4 0.12 looks for
# it with git log --since=1.year, which stops seeing the series' fixed
# commit date a year after it. The template is b4's own but for the
# base-commit line: with the cover letter in the description, b4 0.12
# names the parent of the fork-point ("<base>~1" when it has none).
write_home() {
	mkdir -p "$home/bin"
	cat >"$home/bin/no-mail" <<-'EOF'
	#!/bin/sh
	# lkmdemo's b4.sh sends no mail: record the attempt and fail.
	echo "$*" >>"$(dirname "$0")/../mail-attempts"
	exit 1
	EOF
	chmod +x "$home/bin/no-mail"
	# shellcheck disable=SC2016 # b4's template variables, not the shell's
	printf '%s\n' '${cover}' '' '---' '${shortlog}' '' '${diffstat}' '---' \
		"base-commit: $base" 'change-id: ${change_id}' '' 'Best regards,' \
		'-- ' '${signature}' >"$home/cover-template"
	cat >"$home/.gitconfig" <<-EOF
	[user]
		name = $LKMDEMO_GIT_NAME
		email = $LKMDEMO_GIT_EMAIL
	[b4]
		prep-cover-strategy = branch-description
		prep-cover-template = $home/cover-template
		send-no-patatt-sign = yes
	[sendemail]
		smtpserver = $home/bin/no-mail
	EOF
}

# isolated CMD...: CMD with that home, no system git configuration, no
# identity or git location from the caller, and every HTTP(S) request sent
# to a closed port.
isolated() {
	(
		unset GIT_CONFIG_PARAMETERS GIT_CONFIG_COUNT GIT_DIR GIT_WORK_TREE \
			GIT_INDEX_FILE GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_AUTHOR_DATE \
			GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL GIT_COMMITTER_DATE EMAIL
		export HOME=$home XDG_CONFIG_HOME=$home/.config \
			XDG_CACHE_HOME=$home/.cache XDG_DATA_HOME=$home/.local/share \
			GIT_CONFIG_GLOBAL=$home/.gitconfig GIT_CONFIG_NOSYSTEM=1 \
			http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 \
			HTTP_PROXY=http://127.0.0.1:9 HTTPS_PROXY=http://127.0.0.1:9 \
			ALL_PROXY=http://127.0.0.1:9 no_proxy='' NO_PROXY=''
		"$@"
	)
}

# The options of every b4 run: no network (b4 shazam looks for newer
# revisions of the series on lore otherwise), no questions, and no
# Message-ID read from a standard input that is not a terminal.
b4_opts=(--offline-mode --no-interactive --no-stdin)

# run_b4 DIR LOG ARGS...: b4 ARGS in DIR, isolated, with the fixed
# identity and dates of lkmdemo_git; the command line and its output in
# LOG. Standard input is the caller's.
run_b4() {
	local dir=$1 logf=$2
	shift 2
	local t0 rc=0
	t0=$(date +%s)
	printf '$ cd %s && b4 %s\n' "$dir" "$(quoted "${b4_opts[@]}" "$@")" >"$logf"
	(cd "$dir" && isolated env \
		GIT_AUTHOR_NAME="$LKMDEMO_GIT_NAME" GIT_AUTHOR_EMAIL="$LKMDEMO_GIT_EMAIL" \
		GIT_COMMITTER_NAME="$LKMDEMO_GIT_NAME" GIT_COMMITTER_EMAIL="$LKMDEMO_GIT_EMAIL" \
		GIT_AUTHOR_DATE="$LKMDEMO_GIT_DATE" GIT_COMMITTER_DATE="$LKMDEMO_GIT_DATE" \
		b4 "${b4_opts[@]}" "$@") >>"$logf" 2>&1 || rc=$?
	echo "# exit $rc after $(($(date +%s) - t0))s" >>"$logf"
	return "$rc"
}

# --- Work trees ---

# cone_dirs: the sparse checkout of both work trees: the directories of
# the files the series changes, less those that a deeper one brings
# anyway (cone mode checks out the files of every parent of a directory
# of the cone), and scripts/ for get_maintainer.pl. The top directory's
# files (MAINTAINERS, .mailmap) are always there.
cone_dirs() {
	sed -n 's|^diff --git a/.* b/\(.*\)$|\1|p' "${series[@]}" |
		awk 'index($0, "/") { sub(/\/[^\/]*$/, ""); print }' | LC_ALL=C sort -u |
		awk '{ d[NR] = $0 }
		END {
			for (i = 1; i <= NR; i++) {
				keep = 1
				for (j = 1; j <= NR; j++)
					if (index(d[j], d[i] "/") == 1) keep = 0
				if (keep) print d[i]
			}
		}'
	echo scripts
}

# worktree DIR: a work tree of the base repository at DIR, sparse, on
# lkmdemo-base, clean. A full index, not a sparse one: git am (2.39)
# expands a sparse index again for every patch, seconds each.
worktree() {
	local dir=$1 want have
	if [ ! -e "$dir/.git" ]; then
		rm -rf "$dir"
		mkdir -p "$(dirname "$dir")"
		git -C "$repo" worktree prune
		git -C "$repo" worktree add -q --detach --no-checkout "$dir" lkmdemo-base
	fi
	want=$(cone_dirs | LC_ALL=C sort -u)
	have=$(git -C "$dir" sparse-checkout list 2>/dev/null | LC_ALL=C sort -u || true)
	if [ "$want" != "$have" ]; then
		printf '%s\n' "$want" |
			git -C "$dir" sparse-checkout set --cone --no-sparse-index --stdin
	fi
	lkmdemo_git -C "$dir" am --abort >/dev/null 2>&1 || true
	lkmdemo_git -C "$dir" checkout -q -f --detach lkmdemo-base
	lkmdemo_git -C "$dir" clean -q -f -d -x
}

# kernel_dirs DIR: get_maintainer.pl refuses to run where one of the
# directories its top_of_kernel_tree() looks for is missing; make the
# ones that the sparse checkout left out (empty: git sees nothing).
kernel_dirs() {
	local d
	[ -f "$1/scripts/get_maintainer.pl" ] || return 0
	# shellcheck disable=SC2016 # a literal ${lk_path} of the Perl script
	sed -n 's/.*-d "\${lk_path}\([A-Za-z0-9._-]*\)".*/\1/p' \
		"$1/scripts/get_maintainer.pl" |
		while read -r d; do
			mkdir -p "$1/$d"
		done
}

# --- Results ---

nfail=0
passed_names=()

# check RC NAME [DETAIL]: record one result of this run.
check() {
	if [ "$1" -eq 0 ]; then
		passed_names+=("$2")
	else
		nfail=$((nfail + 1))
	fi
	result "$@"
}

# not_run NAME WHY: a check that an earlier failure leaves without input.
not_run() {
	nfail=$((nfail + 1))
	skip "$1" "$2"
}

N_AM="b4: git am puts the $n patches of $(basename "$patches")/ on lkmdemo-base, on the b4 prep branch $branch"
N_INFO="b4: prep --show-info sees $n commits on lkmdemo-base, change-id $change_id, v$revision"
N_TOCC="b4: prep --auto-to-cc puts $maint (MAINTAINERS) in the cover letter's To/Cc"
N_SEND="b4: send -o writes $((n + 1)) messages and sends nothing"
N_DEST="b4: every message is To or Cc $maint"
N_SUBJ="b4: the messages are the series: the subjects of $(basename "$patches")/, the base-commit and change-id"
N_IDENT="b4: the messages carry the lkmdemo identity only, none of the user's git configuration"
N_SHAZAM="b4: shazam takes the mbox of the messages (-m -) onto lkmdemo-base, the base-commit of the cover letter"
N_TREE="b4: the tree of the round trip is the tree of git am of $(basename "$patches")/"
N_COMMITS="b4: the round trip keeps each commit's tree, author, committer and message"
N_REPO="b4: the base repository's configuration has no identity, b4 or sendemail setting"

# messages: the files of the output directory, in order.
messages() {
	[ -d "$msgdir" ] || return 0
	find "$msgdir" -maxdepth 1 -name '*.eml' 2>/dev/null | LC_ALL=C sort
}

# headers FILE: the headers of a message, one a line (unfolded).
headers() {
	awk '/^$/ { exit }
	     /^[ \t]/ { sub(/^[ \t]+/, " "); h = h $0; next }
	     { if (h != "") print h; h = $0 }
	     END { if (h != "") print h }' "$1"
}

# header NAME FILE: the value of the first header NAME of FILE.
header() {
	headers "$2" | awk -v name="$1" 'tolower(substr($0, 1, length(name) + 1)) == tolower(name ":") {
		v = substr($0, length(name) + 2); sub(/^[ \t]+/, "", v); print v; exit }'
}

# --- 1. The prep branch ---

prep_series() {
	local logf rc tracking info ncommits bad=""
	log "b4: prep branch in $prep ..."
	worktree "$prep"
	lkmdemo_git -C "$prep" checkout -q -f -B "$basebranch" lkmdemo-base
	if git -C "$prep" rev-parse -q --verify "refs/heads/$branch" >/dev/null; then
		git -C "$prep" branch -q -D "$branch"
	fi
	git -C "$prep" config --remove-section "branch.$branch" 2>/dev/null || true

	logf=$blogs/prep-new.log
	rc=0
	run_b4 "$prep" "$logf" prep -n lkmdemo -f lkmdemo-base </dev/null || rc=$?
	if [ "$rc" -ne 0 ] || [ "$(git -C "$prep" symbolic-ref -q --short HEAD)" != "$branch" ]; then
		check 1 "$N_AM" "b4 prep -n failed (exit $rc); log: $logf"
		prep_ok=0
		return 0
	fi
	# The cover letter and a change-id of our own, where b4 keeps them
	# with the branch-description strategy; revision and prefixes with
	# b4 itself.
	git -C "$prep" config "branch.$branch.description" "$cover_text"
	tracking=$(git -C "$prep" config "branch.$branch.b4-tracking")
	tracking=$(printf '%s\n' "$tracking" |
		sed "s/\"change-id\": \"[^\"]*\"/\"change-id\": \"$change_id\"/")
	git -C "$prep" config "branch.$branch.b4-tracking" "$tracking"
	if [ "$revision" != 1 ]; then
		run_b4 "$prep" "$blogs/prep-revision.log" prep --force-revision "$revision" </dev/null ||
			bad="b4 prep --force-revision $revision failed; log: $blogs/prep-revision.log"
	fi
	if [ "${#prefixes[@]}" -gt 0 ]; then
		run_b4 "$prep" "$blogs/prep-prefixes.log" prep --set-prefixes "${prefixes[@]}" </dev/null ||
			bad="b4 prep --set-prefixes ${prefixes[*]} failed; log: $blogs/prep-prefixes.log"
	fi

	logf=$blogs/git-am.log
	rc=0
	printf '$ cd %s && git am %s\n' "$prep" "$(quoted "${series[@]}")" >"$logf"
	isolated lkmdemo_git -C "$prep" am -q "${series[@]}" >>"$logf" 2>&1 || rc=$?
	if [ "$rc" -ne 0 ]; then
		check 1 "$N_AM" "git am failed (exit $rc); log: $logf"
		prep_ok=0
		return 0
	fi
	check "$([ -z "$bad" ]; echo $?)" "$N_AM" "$bad"

	logf=$blogs/prep-info.log
	rc=0
	run_b4 "$prep" "$logf" prep --show-info </dev/null || rc=$?
	info=$(cat "$logf")
	bad=""
	[ "$rc" -eq 0 ] || bad="b4 prep --show-info failed (exit $rc)"
	ncommits=$(grep -c '^commit-' <<<"$info" || true)
	[ "$ncommits" -eq "$n" ] || bad="${bad:+$bad; }$ncommits commits, not $n"
	# (its base-commit line is the fork-point's parent: see write_home)
	grep -qx "start-commit: $base" <<<"$info" || bad="${bad:+$bad; }the fork-point is not lkmdemo-base"
	grep -qx "change-id: $change_id" <<<"$info" || bad="${bad:+$bad; }change-id is not $change_id"
	grep -qx "revision: $revision" <<<"$info" || bad="${bad:+$bad; }revision is not $revision"
	grep -qx "cover-strategy: branch-description" <<<"$info" ||
		bad="${bad:+$bad; }cover-strategy is not branch-description"
	check "$([ -z "$bad" ]; echo $?)" "$N_INFO" "$bad; log: $logf"

	logf=$blogs/auto-to-cc.log
	rc=0
	kernel_dirs "$prep"
	run_b4 "$prep" "$logf" prep --auto-to-cc </dev/null || rc=$?
	if [ "$rc" -ne 0 ]; then
		check 1 "$N_TOCC" "b4 prep --auto-to-cc failed (exit $rc); log: $logf"
	else
		grep -qiE "^(To|Cc): .*<$maint>" \
			<<<"$(git -C "$prep" config "branch.$branch.description")" || rc=$?
		check "$rc" "$N_TOCC" "no \"To:\" or \"Cc:\" with <$maint> in the cover letter; log: $logf"
	fi
	log "b4: prep branch $branch at $(git -C "$prep" rev-parse --short HEAD)"
}

# --- 2. The messages, written and not sent ---

send_series() {
	local logf=$blogs/send.log rc=0 count bad=""
	log "b4: send -o $msgdir ..."
	rm -rf "$msgdir"
	rm -f "$home/mail-attempts"
	run_b4 "$prep" "$logf" send -o "$msgdir" --no-sign </dev/null || rc=$?
	count=$(messages | wc -l)
	[ "$rc" -eq 0 ] || bad="b4 send -o failed (exit $rc)"
	[ "$count" -eq $((n + 1)) ] || bad="${bad:+$bad; }$count messages in $msgdir"
	grep -q "^DRYRUN: Would have sent $((n + 1)) messages" "$logf" ||
		bad="${bad:+$bad; }no \"DRYRUN: Would have sent $((n + 1)) messages\""
	if grep -qiE 'Sending via|Connecting to|web endpoint|Reflecting' "$logf"; then
		bad="${bad:+$bad; }b4 says it sends: $(grep -iE 'Sending via|Connecting to|web endpoint|Reflecting' "$logf" | head -n 1)"
	fi
	[ ! -e "$home/mail-attempts" ] ||
		bad="${bad:+$bad; }the sendmail command ran: $(head -n 1 "$home/mail-attempts")"
	check "$([ -z "$bad" ]; echo $?)" "$N_SEND" "$bad; log: $logf"
	[ "$count" -gt 0 ] || sent_ok=0
}

# --- 3. What the messages say ---

check_messages() {
	local msgs f i subj want bad to from
	local real_name real_email
	mapfile -t msgs < <(messages)

	# To/Cc
	bad=""
	for f in "${msgs[@]}"; do
		to=$(headers "$f" | grep -iE '^(To|Cc):' || true)
		grep -qF "<$maint>" <<<"$to" || grep -qiE "(^|[ ,:])$maint(,|$)" <<<"$to" ||
			bad="${bad:+$bad, }$(basename "$f")"
	done
	check "$([ -z "$bad" ]; echo $?)" "$N_DEST" "not in To/Cc of: $bad"

	# The subjects, in order, and the cover letter's base and change-id.
	bad=""
	if [ "${#msgs[@]}" -ne $((n + 1)) ]; then
		bad="${#msgs[@]} messages, $((n + 1)) patches"
	else
		i=0
		for f in "$cover_patch" "${series[@]}"; do
			want=$(header Subject "$f")
			subj=$(header Subject "${msgs[$i]}")
			[ "$subj" = "$want" ] ||
				bad="${bad:+$bad; }$(basename "${msgs[$i]}"): \"$subj\", not \"$want\""
			i=$((i + 1))
		done
		grep -qx "base-commit: $base" "${msgs[0]}" ||
			bad="${bad:+$bad; }the cover letter has no \"base-commit: $base\""
		grep -qx "change-id: $change_id" "${msgs[0]}" ||
			bad="${bad:+$bad; }the cover letter has no \"change-id: $change_id\""
	fi
	check "$([ -z "$bad" ]; echo $?)" "$N_SUBJ" "$bad"

	# Identity: From, the Message-ID domain, the signature; and nothing
	# of the git configuration of the user who runs this.
	bad=""
	real_name=$(git config --global user.name 2>/dev/null || true)
	real_email=$(git config --global user.email 2>/dev/null || true)
	for f in "${msgs[@]}"; do
		from=$(header From "$f")
		[ "$from" = "$ident" ] || bad="${bad:+$bad; }$(basename "$f"): From: $from"
		header Message-Id "$f" | grep -q "@${LKMDEMO_GIT_EMAIL#*@}>$" ||
			bad="${bad:+$bad; }$(basename "$f"): Message-Id $(header Message-Id "$f")"
		if [ -n "$real_email" ] && [ "$real_email" != "$LKMDEMO_GIT_EMAIL" ] &&
		   grep -qiF -- "$real_email" "$f"; then
			bad="${bad:+$bad; }$(basename "$f") names $real_email (the user's user.email)"
		fi
		if [ -n "$real_name" ] && [ "$real_name" != "$LKMDEMO_GIT_NAME" ] &&
		   grep -qF -- "$real_name" "$f"; then
			bad="${bad:+$bad; }$(basename "$f") names \"$real_name\" (the user's user.name)"
		fi
	done
	if [ "${#msgs[@]}" -gt 0 ] &&
	   [ "$(awk 'p { print; exit } /^-- $/ { p = 1 }' "${msgs[0]}")" != "$ident" ]; then
		bad="${bad:+$bad; }the cover letter is not signed \"$ident\""
	fi
	check "$([ -z "$bad" ]; echo $?)" "$N_IDENT" "$bad"
}

# --- 4. The messages taken back ---

# commits REV: what the round trip must keep of each commit of
# lkmdemo-base..REV: tree, author, committer with date, message.
commits() {
	git -C "$repo" log --reverse \
		--format='tree %T%nauthor %an <%ae>%ncommitter %cn <%ce> %cI%n%n%B' \
		"lkmdemo-base..$1"
}

apply_messages() {
	local logf=$blogs/shazam.log rc=0 f ref rt new bad=""
	log "b4: shazam in $amtree ..."
	worktree "$amtree"
	# One mbox of the messages, mboxrd: a body line "From " or ">From "
	# gets one ">" more, which git mailsplit --mboxrd (b4 -m -) takes off.
	while read -r f; do
		echo 'From mboxrd@z Thu Jan  1 00:00:00 1970'
		sed 's/^\(>*From \)/>\1/' "$f"
		echo
	done < <(messages) >"$mbox"
	# "-m -", not "-m FILE MSGID": b4 0.12 reads a file with Python's
	# mailbox module, whose messages keep a folded header folded, and a
	# folded Subject then stops it ("Header values may not contain
	# linefeed"); standard input it splits with git mailsplit and parses
	# as it does a thread from lore. The thread is then the whole mbox (a
	# Message-ID given is not looked at), named by its first Message-ID,
	# the cover letter's.
	run_b4 "$amtree" "$logf" shazam -m - <"$mbox" || rc=$?
	new=$(git -C "$amtree" rev-list --count lkmdemo-base..HEAD 2>/dev/null || echo 0)
	grep -q "Base: using specified base-commit $base" "$logf" ||
		bad="b4 did not take base-commit $base from the cover letter"
	if [ "$rc" -ne 0 ] || [ "$new" -ne "$n" ]; then
		check 1 "$N_SHAZAM" "b4 shazam exit $rc, $new of $n commits applied; log: $logf"
		not_run "$N_TREE" "b4 shazam failed"
		not_run "$N_COMMITS" "b4 shazam failed"
		return 0
	fi
	check "$([ -z "$bad" ]; echo $?)" "$N_SHAZAM" "$bad; log: $logf"
	bad=""

	ref=$(git -C "$repo" rev-parse "refs/heads/$branch^{tree}")
	rt=$(git -C "$amtree" rev-parse 'HEAD^{tree}')
	if [ "$ref" = "$rt" ]; then
		check 0 "$N_TREE ($rt)"
	else
		check 1 "$N_TREE" "$(git -C "$repo" diff --stat "$ref" "$rt" | tail -n 1): $(git -C "$repo" diff --name-only "$ref" "$rt" | head -n 5 | tr '\n' ' ')(git diff $ref $rt)"
	fi

	# The author date is the one thing that differs: b4 send dates each
	# message when it is sent, and git am takes that date.
	if diff <(commits "refs/heads/$branch") <(commits "$(git -C "$amtree" rev-parse HEAD)") \
		>"$blogs/commits.diff"; then
		check 0 "$N_COMMITS"
	else
		bad=$(grep -m 1 '^[<>]' "$blogs/commits.diff" || true)
		check 1 "$N_COMMITS" "first difference: $bad; diff: $blogs/commits.diff"
	fi
}

# --- 5. Nothing of b4's settings or the identity in the repository ---

check_repo_config() {
	local bad w
	bad=$( { git -C "$repo" config --local --name-only --list
		 for w in "$prep" "$amtree"; do
			[ -e "$w/.git" ] && git -C "$w" config --worktree --name-only --list
		 done; } 2>/dev/null | grep -E '^(user|b4|sendemail)\.' | sort -u | tr '\n' ' ' || true)
	check "$([ -z "$bad" ]; echo $?)" "$N_REPO" "found: $bad"
}

# --- The run ---

# The cache key: this script, lib.sh, the MAINTAINERS entry, the series,
# the base commit and the versions of b4 and git.
key=$( { cat "$LKMDEMO_SCRIPTS/b4.sh" "$LKMDEMO_SCRIPTS/lib.sh" \
	"$LKMDEMO_TOP/MAINTAINERS.snippet" "$cover_patch" "${series[@]}"
	echo "$base $b4_version"; git --version; } | sha1sum | cut -c1-16)
stamp=$top/passed-$key

start=$(date +%s)
if [ "$apply_only" = 0 ] && [ "$force" = 0 ] && [ "$LKMDEMO_FRESH" != 1 ] && [ -s "$stamp" ]; then
	when=$(head -n 1 "$stamp")
	while IFS= read -r name; do
		pass "$name (cached: passed $when)"
	done < <(tail -n +2 "$stamp")
	log "b4: cached pass of $when (inputs $key); --force runs it again"
else
	write_home
	if [ "$apply_only" = 1 ]; then
		[ -n "$(messages)" ] ||
			die "no messages in $msgdir: run scripts/b4.sh without --apply-only first"
		git -C "$repo" rev-parse -q --verify "refs/heads/$branch" >/dev/null ||
			die "no prep branch $branch in $repo: run scripts/b4.sh without --apply-only first"
		log "b4: --apply-only: the messages in $msgdir as they are"
		check_messages
		apply_messages
	else
		rm -f "$top"/passed-*
		prep_ok=1
		sent_ok=1
		prep_series
		[ "$prep_ok" = 0 ] || send_series
		if [ "$prep_ok" = 0 ]; then
			for name in "$N_INFO" "$N_TOCC" "$N_SEND" "$N_DEST" "$N_SUBJ" \
				    "$N_IDENT" "$N_SHAZAM" "$N_TREE" "$N_COMMITS"; do
				not_run "$name" "the prep branch failed"
			done
		elif [ "$sent_ok" = 0 ]; then
			for name in "$N_DEST" "$N_SUBJ" "$N_IDENT" "$N_SHAZAM" "$N_TREE" "$N_COMMITS"; do
				not_run "$name" "b4 send wrote no message"
			done
		else
			log "b4: $(messages | wc -l) messages in $msgdir"
			check_messages
			apply_messages
		fi
	fi
	check_repo_config
	if [ "$apply_only" = 0 ] && [ "$nfail" -eq 0 ]; then
		{ date -u +%Y-%m-%dT%H:%MZ; printf '%s\n' "${passed_names[@]}"; } >"$stamp"
	fi
fi
log "b4: done in $(($(date +%s) - start))s; logs: $blogs"

# Alone, the exit status says whether every check passed; with
# --results, the caller counts the FAIL lines.
if [ "$own_results" = 1 ]; then
	summarize "$LKMDEMO_RESULTS"
fi
