"""HTTP front of the simulator: endpoints, authentication, rate limits, faults and the envelope.

Besides GravityZone's endpoints it serves a few of its own under /_simulator/, with the same
authentication, for tests and demos:

- GET /_simulator/state: every company with its subscription;
- GET or POST /_simulator/faults: read or replace the fault plan (see faults.FaultPlan.from_json);
- POST /_simulator/usage: {"companyId", "targetMonth", "counters"} fixes a company's own usage;
- GET /_simulator/stats: how many calls each method received, by HTTP status or fault.
"""

import base64
import binascii
import json
import logging
import re
import socket
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from gravityzone.errors import INVALID_PARAMS, INVALID_REQUEST, METHOD_NOT_FOUND, PARSE_ERROR, SERVER_ERROR
from gravityzone.ratelimits import RateLimits
from gravityzone.simulator import companies, faults, licensing, network
from gravityzone.simulator.errors import RpcError
from gravityzone.simulator.general import get_api_key_details
from gravityzone.simulator.ratelimit import BurstQueueLimiter
from gravityzone.simulator.state import utc_now_text
from gravityzone.simulator.usage import parse_month

logger = logging.getLogger(__name__)

ENDPOINT = re.compile(r"^/api/v1\.0/jsonrpc/(?P<api>[a-z]+)/?$")
CONTROL_ENDPOINT = re.compile(r"^/_simulator/(?P<name>[a-z]+)/?$")

# The APIs whose methods the simulator serves. A key may have each one enabled or not.
SERVED_APIS = ("companies", "licensing", "network", "general")

MISSING_AUTH = "Authorization header not passed, HTTP Basic Authentication should be used."
INVALID_KEY = "Invalid API key. Please generate an API key in Control Center."

HTML_ERROR_PAGE = "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>"

MAX_BODY_BYTES = 1_000_000


@dataclass
class Reply:
    status: int
    body: object
    headers: dict = field(default_factory=dict)
    # Close the connection without sending anything, as when a response is lost on the way.
    drop: bool = False


class Simulator:
    """Respond to GravityZone API requests for one API key from a `TenantState`."""

    def __init__(self, *, api_key, tenant, enabled_apis=SERVED_APIS, rate_limits=None, fault_plan=None):
        self.api_key = api_key
        self.tenant = tenant
        self.enabled_apis = frozenset(enabled_apis)
        self.key_created_at = utc_now_text()
        self.limiter = BurstQueueLimiter(rate_limits or RateLimits())
        self.fault_plan = fault_plan or faults.FaultPlan()
        # "<method> <outcome>" → count, where outcome is an HTTP status or a fault name.
        self.stats = Counter()
        self._stats_lock = threading.Lock()
        self.methods = {
            "companies": companies.METHODS,
            "licensing": licensing.METHODS,
            "network": network.METHODS,
            "general": {"getApiKeyDetails": self._get_api_key_details},
        }

    def handle_post(self, path, authorization, body):
        """Return the Reply to one POST request."""
        control = CONTROL_ENDPOINT.match(path)
        if control is not None:
            return self._handle_control("POST", control["name"], authorization, body)

        match = ENDPOINT.match(path)
        if match is None or match["api"] not in self.methods:
            return Reply(HTTPStatus.NOT_FOUND, {"error": "Not found"})
        api = match["api"]

        auth_error = self._check_auth(authorization, api)
        if auth_error is not None:
            return _error_reply(None, auth_error)

        try:
            request = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return _error_reply(None, RpcError(PARSE_ERROR, "The request body is not valid JSON."))

        request_id = request.get("id") if isinstance(request, dict) else None
        try:
            method, params = _check_envelope(request)
        except RpcError as error:
            return _error_reply(request_id, error)

        reply = self._answer(api, method, params, request_id)
        with self._stats_lock:
            self.stats[f"{method} {'lost' if reply.drop else reply.status}"] += 1
        return reply

    def _answer(self, api, method, params, request_id):
        admission = self.limiter.admit(method)
        if admission.retry_after is not None:
            return Reply(
                HTTPStatus.TOO_MANY_REQUESTS,
                {"error": "Too many requests"},
                headers={"Retry-After": str(admission.retry_after)},
            )
        if admission.wait:
            time.sleep(admission.wait)

        fault = self.fault_plan.pick(method)
        if fault == faults.SERVER_ERROR:
            return _error_reply(request_id, RpcError(SERVER_ERROR, "Internal error.", http_status=500))
        if fault == faults.HTML_ERROR:
            return Reply(HTTPStatus.BAD_GATEWAY, HTML_ERROR_PAGE)
        if fault == faults.RATE_LIMITED:
            return Reply(HTTPStatus.TOO_MANY_REQUESTS, {"error": "Too many requests"}, headers={"Retry-After": "1"})
        if fault == faults.SLOW:
            time.sleep(self.fault_plan.slow_seconds)

        reply = self._dispatch(api, method, params, request_id)
        if fault == faults.LOST_RESPONSE:
            reply.drop = True
        return reply

    def handle_get(self, path, authorization):
        control = CONTROL_ENDPOINT.match(path)
        if control is None:
            return Reply(HTTPStatus.METHOD_NOT_ALLOWED, {"error": "Use POST"})
        return self._handle_control("GET", control["name"], authorization, b"")

    def _dispatch(self, api, method, params, request_id):
        handler = self.methods[api].get(method)
        try:
            if handler is None:
                raise RpcError(METHOD_NOT_FOUND, f"Method '{method}' does not exist on the '{api}' API.")
            with self.tenant.lock:
                result = handler(self.tenant, params)
        except RpcError as error:
            return _error_reply(request_id, error)
        return Reply(HTTPStatus.OK, {"id": request_id, "jsonrpc": "2.0", "result": result})

    def _check_auth(self, authorization, api=None):
        if not authorization or not authorization.startswith("Basic "):
            return RpcError(SERVER_ERROR, MISSING_AUTH, http_status=HTTPStatus.UNAUTHORIZED)
        try:
            user, _, _password = base64.b64decode(authorization[6:], validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            user = None
        if user != self.api_key:
            return RpcError(SERVER_ERROR, INVALID_KEY, http_status=HTTPStatus.UNAUTHORIZED)
        if api is not None and api not in self.enabled_apis:
            return RpcError(
                SERVER_ERROR,
                f"The API key does not have the {api} API enabled.",
                http_status=HTTPStatus.UNAUTHORIZED,
            )
        return None

    def _handle_control(self, verb, name, authorization, body):
        auth_error = self._check_auth(authorization)
        if auth_error is not None:
            return _error_reply(None, auth_error)
        try:
            data = json.loads(body) if body else None
            if (verb, name) == ("GET", "state"):
                return Reply(HTTPStatus.OK, self._dump_state())
            if (verb, name) == ("GET", "stats"):
                with self._stats_lock:
                    return Reply(HTTPStatus.OK, dict(self.stats))
            if (verb, name) == ("GET", "faults"):
                return Reply(HTTPStatus.OK, self.fault_plan.to_json())
            if (verb, name) == ("POST", "faults"):
                self.fault_plan = faults.FaultPlan.from_json(data)
                return Reply(HTTPStatus.OK, self.fault_plan.to_json())
            if (verb, name) == ("POST", "usage"):
                self._override_usage(data)
                return Reply(HTTPStatus.OK, {"ok": True})
        except (ValueError, TypeError, KeyError) as exc:
            return Reply(HTTPStatus.BAD_REQUEST, {"error": str(exc)})
        return Reply(HTTPStatus.NOT_FOUND, {"error": "Not found"})

    def _dump_state(self):
        with self.tenant.lock:
            return {
                "rootId": self.tenant.root_id,
                "companies": [asdict(company) for company in self.tenant.companies.values()],
            }

    def _override_usage(self, data):
        company_id, month, counters = data["companyId"], data["targetMonth"], data["counters"]
        if company_id not in self.tenant.companies:
            raise ValueError(f"unknown company {company_id!r}")
        if parse_month(month) is None:
            raise ValueError("targetMonth must be mm/yyyy")
        if not isinstance(counters, dict) or not all(isinstance(value, int) for value in counters.values()):
            raise ValueError("counters must be an object of integers")
        with self.tenant.lock:
            self.tenant.usage_overrides[f"{company_id} {month}"] = counters
            self.tenant.save()

    def _get_api_key_details(self, tenant, params):
        return get_api_key_details(tenant, params, enabled_apis=self.enabled_apis, created_at=self.key_created_at)


def _check_envelope(request):
    if not isinstance(request, dict) or request.get("jsonrpc") != "2.0":
        raise RpcError(INVALID_REQUEST, "The request is not a JSON-RPC 2.0 request object.")
    if not isinstance(request.get("id"), (str, int)) or isinstance(request.get("id"), bool):
        raise RpcError(INVALID_REQUEST, "The request 'id' must be a string or an integer.")
    method = request.get("method")
    if not isinstance(method, str):
        raise RpcError(INVALID_REQUEST, "The request 'method' must be a string.")

    params = request.get("params", {})
    # Some clients send an empty array for "no parameters"; GravityZone accepts it.
    if params == []:
        params = {}
    if not isinstance(params, dict):
        raise RpcError(INVALID_PARAMS, "'params' must be an object.")
    return method, params


def _error_reply(request_id, error):
    return Reply(error.http_status, {"id": request_id, "jsonrpc": "2.0", "error": error.to_error()})


class RequestHandler(BaseHTTPRequestHandler):
    server_version = "GravityZoneSimulator/0.1"

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self._send(Reply(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": "Request body too large"}))
            return
        body = self.rfile.read(length)
        self._send(self.server.simulator.handle_post(self.path, self.headers.get("Authorization"), body))

    def do_GET(self):
        self._send(self.server.simulator.handle_get(self.path, self.headers.get("Authorization")))

    def _send(self, reply):
        if reply.drop:
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if isinstance(reply.body, str):
            data, content_type = reply.body.encode(), "text/html; charset=utf-8"
        else:
            data, content_type = json.dumps(reply.body).encode(), "application/json"
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up waiting (a timeout, often after an injected slow response).
            logger.info("%s closed the connection before the answer was sent", self.address_string())

    def log_message(self, format, *args):
        # The default handler writes every request to stderr; route it through logging instead.
        logger.info("%s %s", self.address_string(), format % args)


class SimulatorServer(ThreadingHTTPServer):
    daemon_threads = True
    # Many workers may connect at once; the default backlog of 5 would refuse some.
    request_queue_size = 128

    def __init__(self, simulator, host="127.0.0.1", port=8765):
        super().__init__((host, port), RequestHandler)
        self.simulator = simulator

    @property
    def base_url(self):
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/api"

    def start_in_thread(self):
        # A short poll interval lets stop() return quickly, which keeps tests fast.
        thread = threading.Thread(
            target=self.serve_forever, kwargs={"poll_interval": 0.05}, name="gravityzone-simulator", daemon=True
        )
        thread.start()
        return thread

    def stop(self):
        self.shutdown()
        self.server_close()
