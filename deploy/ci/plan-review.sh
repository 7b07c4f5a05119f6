#!/usr/bin/env bash
# ctnet plan review for a pull request: validate every manifest, then plan offline against the
# snapshot of each host (taken there with `ctnet snapshot > hosts/NAME.json`), as one markdown
# document to post on the pull request. Nothing here touches a kernel.
#
#   deploy/ci/plan-review.sh [OUT.md]
#
# Environment: CTNET_MANIFESTS (default manifests), CTNET_SNAPSHOTS (default hosts), CTNET (the
# command, default ctnet; words are split, so "node bin/ctnet.js" works). Exit 0 when every host
# plans, 3 when the manifests are refused, 1 when a plan could not be made; the document is
# written in every case, errors included, so the pull request shows them.
set -uo pipefail

out=${1:-ctnet-plan.md}
manifests=${CTNET_MANIFESTS:-manifests}
snapshots=${CTNET_SNAPSHOTS:-hosts}
read -r -a ctnet <<<"${CTNET:-ctnet}"
# offline: a state dir of its own, so that nothing of a runner's /var/lib is read or needed
state=$(mktemp -d)
trap 'rm -rf "$state"' EXIT
run() { "${ctnet[@]}" --no-color --state-dir "$state" "$@"; }

status=0
{
  echo "## ctnet plan review"
  echo
  if errors=$(run validate "$manifests" 2>&1); then
    echo "Manifests in \`$manifests\`: $errors"
  else
    status=3
    echo "**The manifests are refused** (\`ctnet validate $manifests\`):"
    echo
    echo '```'
    echo "$errors"
    echo '```'
  fi
  echo
  shopt -s nullglob
  hosts=("$snapshots"/*.json)
  [ ${#hosts[@]} -gt 0 ] || echo "No host snapshots in \`$snapshots/\`: take one on each host with \`ctnet snapshot > $snapshots/NAME.json\`."
  for snap in "${hosts[@]}"; do
    name=$(basename "$snap" .json)
    echo "### Host \`$name\`"
    echo
    if [ "$status" -eq 3 ]; then
      echo "Not planned: the manifests are refused."
    elif ! plan=$(run plan --snapshot "$snap" -o markdown "$manifests" 2>&1); then
      [ "$status" -eq 0 ] && status=1
      echo '```'
      echo "$plan"
      echo '```'
    else
      # the plan's own heading becomes part of this host's section
      echo "$plan" | sed '1{/^### /d}'
    fi
    echo
  done
} >"$out"
exit "$status"
