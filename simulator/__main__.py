"""Serve the simulated organisation until interrupted: `python -m simulator [--port 8765]`.

Prints the environment variables that point the sources at it, so `dagster dev` or a manual
load can run against the simulator exactly as against the real APIs.
"""

from __future__ import annotations

import argparse
import shlex
import time

from simulator.generator import OrgConfig, generate_org
from simulator.server import Simulator


def main() -> None:
    parser = argparse.ArgumentParser(description="Serve the simulated organisation on loopback.")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--seed", type=int, default=OrgConfig.seed)
    parser.add_argument("--items-per-project", type=int, default=OrgConfig.items_per_project)
    args = parser.parse_args()
    org = generate_org(OrgConfig(seed=args.seed, items_per_project=args.items_per_project, teams=6))
    with Simulator(org, port=args.port) as sim:
        print(f"Serving {len(org.work_items)} work items on {sim.url}. Point the sources at it with:\n")
        for name, value in sim.source_settings().items():
            print(f"export {name}={shlex.quote(value)}")
        print("\nCtrl-C stops it.")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
