import json, sys, tempfile, time, subprocess, os
from pathlib import Path
sys.path.insert(0, "/work/main")
sys.path.insert(0, "/work/main/bench")
from smschannel.local import LocalStack
from tests.support import Workspace
import smschannel.terraform.runner as T
from plan_scale import smschannel_resources, setup
from contextlib import contextmanager
root = Path(tempfile.mkdtemp())
with LocalStack(root / "stack") as stack:
    facts = json.loads((stack.state_dir / "endpoints.json").read_text())
    env = facts["env"]
    ours = setup(root / "s", root / "home", env, smschannel_resources(500, facts))
    # profile one plan
    proc = subprocess.Popen([sys.executable, "/tmp/prof/prof_provider.py"], stdout=subprocess.PIPE, text=True, env={**os.environ, **env, "SMSCHANNEL_SANDBOX": "bench"})
    line = proc.stdout.readline()
    t = time.perf_counter()
    r = ours.tf.run(["plan", "-detailed-exitcode", "-no-color"], capture=True, env={**env, "SMSCHANNEL_SANDBOX": "bench", "TF_REATTACH_PROVIDERS": line.strip()})
    print("plan", time.perf_counter() - t, r.returncode)
    proc.terminate(); proc.wait()
