"""Command line: serve the simulator until interrupted."""

import argparse
import logging
import os
import sys

from gravityzone.simulator import Simulator, SimulatorServer, TenantState


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="python -m gravityzone.simulator", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="TCP port to listen on (default: 8765)")
    parser.add_argument(
        "--api-key",
        default=os.environ.get("GRAVITYZONE_SIMULATOR_API_KEY"),
        help="the API key clients must send (default: $GRAVITYZONE_SIMULATOR_API_KEY)",
    )
    parser.add_argument(
        "--state-file",
        help="JSON file that keeps the companies across restarts (default: keep them in memory only)",
    )
    args = parser.parse_args(argv)
    if not args.api_key:
        parser.error("an API key is required: pass --api-key or set GRAVITYZONE_SIMULATOR_API_KEY")
    return args


def main(argv=None):
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s simulator %(levelname)s %(message)s")

    try:
        tenant = TenantState(path=args.state_file)
    except (OSError, ValueError, TypeError, KeyError) as exc:
        sys.exit(f"Cannot load the simulator state from {args.state_file}: {exc}")
    try:
        server = SimulatorServer(Simulator(api_key=args.api_key, tenant=tenant), args.host, args.port)
    except OSError as exc:
        sys.exit(f"Cannot listen on {args.host}:{args.port}: {exc.strerror}")

    logging.info("GravityZone simulator serving %s (own company %s)", server.base_url, tenant.root_id)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()


if __name__ == "__main__":
    main()
