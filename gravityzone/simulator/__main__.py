"""Serve a simulated GravityZone tenant until interrupted."""

import argparse
import logging
import os
import sys

from gravityzone.ratelimits import RateLimits
from gravityzone.simulator import Simulator, SimulatorServer, TenantState
from gravityzone.simulator.faults import KINDS, FaultPlan
from gravityzone.simulator.state import DEFAULT_TOTAL_SLOTS


def parse_fault(text):
    kind, _, share = text.partition("=")
    if kind not in KINDS:
        raise argparse.ArgumentTypeError(f"unknown fault {kind!r}; expected one of {', '.join(KINDS)}")
    try:
        return kind, float(share)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected KIND=SHARE such as {kind}=0.1, got {text!r}") from None


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
    parser.add_argument(
        "--total-slots",
        type=int,
        default=DEFAULT_TOTAL_SLOTS,
        help=f"seats of the API key's own company, for a new state (default: {DEFAULT_TOTAL_SLOTS})",
    )
    parser.add_argument(
        "--rate-limit-scale",
        type=float,
        default=1.0,
        help="multiply GravityZone's documented rate limits by this factor (default: 1, as documented)",
    )
    parser.add_argument("--no-rate-limits", action="store_true", help="answer every call at once, never with 429")
    parser.add_argument(
        "--fault",
        type=parse_fault,
        action="append",
        default=[],
        metavar="KIND=SHARE",
        help=f"make a share of calls fail; KIND is one of {', '.join(KINDS)} (repeatable)",
    )
    parser.add_argument("--slow-seconds", type=float, default=2.0, help="delay of a 'slow' fault (default: 2)")
    parser.add_argument("--seed", type=int, help="seed for choosing which calls fail, for repeatable runs")
    args = parser.parse_args(argv)
    if not args.api_key:
        parser.error("an API key is required: pass --api-key or set GRAVITYZONE_SIMULATOR_API_KEY")
    if args.rate_limit_scale <= 0:
        parser.error("--rate-limit-scale must be positive")
    return args


def main(argv=None):
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s simulator %(levelname)s %(message)s")

    try:
        fault_plan = FaultPlan(rates=dict(args.fault), slow_seconds=args.slow_seconds, seed=args.seed)
    except ValueError as exc:
        sys.exit(f"Invalid --fault: {exc}")
    try:
        tenant = TenantState(path=args.state_file, total_slots=args.total_slots)
    except (OSError, ValueError, TypeError, KeyError) as exc:
        sys.exit(f"Cannot load the simulator state from {args.state_file}: {exc}. Move the file away to start afresh.")

    simulator = Simulator(
        api_key=args.api_key,
        tenant=tenant,
        rate_limits=RateLimits(args.rate_limit_scale, enabled=not args.no_rate_limits),
        fault_plan=fault_plan,
    )
    try:
        server = SimulatorServer(simulator, args.host, args.port)
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
