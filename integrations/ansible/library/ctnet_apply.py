#!/usr/bin/python
# -*- coding: utf-8 -*-
# ctnet's Ansible module: converge a host's networking to ctnet manifests, or remove it.
from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
---
module: ctnet_apply
short_description: Converge host networking to ctnet manifests, or remove it
description:
  - Runs the ctnet CLI (no shell) with C(--json) and reports what it changed.
  - C(state=present) runs C(ctnet apply PATH); C(state=absent) runs C(ctnet destroy PATH)
    (everything this ctnet instance owns when I(path) is not given).
  - Check mode runs C(ctnet plan --detailed-exitcode) (or C(destroy --dry-run)) and changes nothing.
  - Diff mode shows ctnet's plan as the diff.
  - C(changed) is true exactly when the plan was not empty.
options:
  path:
    description: Manifest files and directories. Required with C(state=present).
    type: list
    elements: path
  state:
    description: C(present) applies the manifests, C(absent) destroys what they describe.
    type: str
    choices: [present, absent]
    default: present
  state_dir:
    description: ctnet's state directory (C(--state-dir)); one state dir is one instance.
    type: path
  host_netns:
    description: A named network namespace to treat as the host (C(--host-netns)).
    type: str
  adopt:
    description: Take over foreign objects in the way (C(--adopt), present only).
    type: bool
    default: false
  wait:
    description: Seconds to wait for another ctnet's lock (C(--wait)) instead of failing.
    type: int
  ctnet:
    description: The ctnet command, as an argument list (for example C([node, /opt/ctnet/bin/ctnet.js])).
    type: list
    elements: str
    default: [ctnet]
author: ctnet contributors
"""

EXAMPLES = r"""
- name: Host networking from the manifests
  ctnet_apply:
    path: /etc/ctnet/manifests

- name: Remove what these manifests describe
  ctnet_apply:
    path: /etc/ctnet/manifests
    state: absent
"""

RETURN = r"""
result:
  description: ctnet's result, C(applied), C(no-changes) or C(dry-run) (check mode).
  returned: success
  type: str
summary:
  description: Counts of the plan's changes, C({create, update, replace, delete}).
  returned: success
  type: dict
actions:
  description: One line per planned change, C(ACTION OBJECT (host)) or C(ACTION OBJECT (netns NAME)).
  returned: success
  type: list
  elements: str
plan:
  description: The plan as ctnet's JSON (changes, their reasons, operations and commands).
  returned: success
  type: dict
errors:
  description: ctnet's errors, with file, line, path, code and message.
  returned: failure
  type: list
"""

import json

from ansible.module_utils.basic import AnsibleModule

# ctnet's exit codes: 0 success, 2 plan --detailed-exitcode found changes; 1, 3 and 4 are failures
FAILURE_CODES = {1: "failed", 3: "rejected before any change", 4: "waiting for confirmation or locked"}


def global_args(p):
    """Flags that stand before the command: the instance, the host, no colours in diffs."""
    args = list(p["ctnet"]) + ["--no-color"]
    if p["state_dir"]:
        args += ["--state-dir", p["state_dir"]]
    if p["host_netns"]:
        args += ["--host-netns", p["host_netns"]]
    if p["wait"] is not None:
        args += ["--wait", str(p["wait"])]
    return args


def command(p, check):
    """The ctnet command (without the global flags) that does, or previews, what state asks."""
    paths = list(p["path"] or [])
    if p["state"] == "absent":
        return ["destroy"] + (["--dry-run"] if check else []) + paths
    adopt = ["--adopt"] if p["adopt"] else []
    if check:
        return ["plan", "--detailed-exitcode"] + adopt + paths
    return ["apply"] + adopt + paths


def run(module, args):
    rc, out, err = module.run_command(args, check_rc=False, environ_update={"NO_COLOR": "1"})
    return rc, out, err


def fail(module, args, rc, out, err, doc):
    errors = doc.get("errors", []) if isinstance(doc, dict) else []
    lines = [where(e) + e.get("message", "") for e in errors] or [err.strip() or out.strip()]
    module.fail_json(
        msg="ctnet %s (exit %d): %s" % (FAILURE_CODES.get(rc, "failed"), rc, "; ".join(lines)),
        rc=rc,
        cmd=args,
        errors=errors,
        stderr=err,
        result=doc.get("result") if isinstance(doc, dict) else None,
    )


def where(e):
    """file:line:column: path: as ctnet prints an error's place, the parts it has."""
    place = ":".join(str(e[k]) for k in ("file", "line", "column") if e.get(k) is not None)
    if e.get("path"):
        place = (place + ": " if place else "") + e["path"]
    return place + ": " if place else ""


def parse(out):
    try:
        return json.loads(out)
    except ValueError:
        return None


def describe(change):
    """One line per change, its namespace as ctnet's text plan names it: (host) or (netns NAME)."""
    if change.get("type") == "netns":
        return "%s %s" % (change["action"], change["object"])
    ns = "netns %s" % change["netns"] if change.get("netns") else "host"
    return "%s %s (%s)" % (change["action"], change["object"], ns)


def diff_text(module, p):
    """ctnet's own text rendering of the plan, for --diff (one more read-only run)."""
    args = global_args(p) + command(p, check=True)
    rc, out, err = run(module, args)
    return out if rc in (0, 2) else err


def main():
    module = AnsibleModule(
        argument_spec=dict(
            path=dict(type="list", elements="path"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            state_dir=dict(type="path"),
            host_netns=dict(type="str"),
            adopt=dict(type="bool", default=False),
            wait=dict(type="int"),
            ctnet=dict(type="list", elements="str", default=["ctnet"]),
        ),
        required_if=[("state", "present", ["path"])],
        supports_check_mode=True,
    )
    p = module.params
    # before the change: the diff shows what is about to happen
    prepared = diff_text(module, p) if module._diff else None
    args = global_args(p) + ["--json"] + command(p, module.check_mode)
    rc, out, err = run(module, args)
    doc = parse(out)
    ok = rc in (0, 2) if module.check_mode and p["state"] == "present" else rc == 0
    if not ok or doc is None:
        fail(module, args, rc, out, err, doc or {})
    # plan prints the plan itself; apply and destroy wrap it with their result
    plan = doc if "changes" in doc else doc.get("plan") or {"changes": []}
    changes = plan.get("changes", [])
    result = doc.get("result", "dry-run")
    if result not in ("applied", "no-changes", "dry-run"):
        fail(module, args, rc, out, err, doc)
    extra = {"diff": {"prepared": prepared}} if prepared is not None and changes else {}
    module.exit_json(
        changed=len(changes) > 0,
        result=result,
        summary=plan.get("summary", {}),
        actions=[describe(c) for c in changes],
        plan=plan,
        notices=doc.get("notices", []),
        cmd=args,
        **extra
    )


if __name__ == "__main__":
    main()
