"""Reads a pytest JUnit report and fails CI when a pass proves nothing: no test ran, a test
failed, or (with --services) a test was skipped because a service variable was not seen."""

from __future__ import annotations

import argparse
import sys
import xml.etree.ElementTree as ET


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("report")
    parser.add_argument("--services", nargs="*", default=[])
    args = parser.parse_args()

    cases = list(ET.parse(args.report).getroot().iter("testcase"))
    failed = [c for c in cases if c.find("failure") is not None or c.find("error") is not None]
    skipped = [(c, c.find("skipped")) for c in cases if c.find("skipped") is not None]
    problems = []
    if not cases:
        problems.append("no test ran")
    if failed:
        problems.append(f"{len(failed)} tests failed")
    for case, skip in skipped:
        reason = skip.get("message", "")
        if any(variable in reason for variable in args.services):
            problems.append(f"{case.get('classname')}.{case.get('name')} skipped: {reason}")
    print(f"==> {args.report}: {len(cases)} tests, {len(skipped)} skipped, {len(failed)} failed")
    for case, skip in skipped:
        print(f"    skipped {case.get('classname')}.{case.get('name')}: {skip.get('message')}")
    for problem in problems:
        print(f"!! {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
