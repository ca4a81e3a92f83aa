"""A local stand-in for the GravityZone Public API, for the demo, the tests and the benchmarks.

Start it with `python -m gravityzone.simulator --api-key KEY`; the back-office reaches it at
http://127.0.0.1:8765/api, the same way it reaches a real tenant's Access URL.
"""

from gravityzone.simulator.server import Simulator, SimulatorServer
from gravityzone.simulator.state import TenantState

__all__ = ["Simulator", "SimulatorServer", "TenantState"]
