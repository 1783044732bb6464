"""External program used by the tests: behaviour chosen by argv[1]."""

import json
import os
import sys

query = json.load(sys.stdin)
mode = sys.argv[1] if len(sys.argv) > 1 else "echo"
if mode == "echo":
    print(json.dumps({"query": json.dumps(query, sort_keys=True), "cwd": os.getcwd()}))
elif mode == "nested":
    print(json.dumps({"summary": {"ok": "1"}}))
elif mode == "number":
    print(json.dumps({"count": 3}))
elif mode == "fail":
    print("preflight: caller 222222222222 is not the management account", file=sys.stderr)
    sys.exit(3)
elif mode == "fail_silent":
    sys.exit(1)
