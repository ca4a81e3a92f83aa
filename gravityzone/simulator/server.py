"""HTTP front of the simulator: endpoints, authentication and the JSON-RPC envelope."""

import base64
import binascii
import json
import logging
import re
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from gravityzone.errors import INVALID_PARAMS, INVALID_REQUEST, METHOD_NOT_FOUND, PARSE_ERROR, SERVER_ERROR
from gravityzone.simulator import companies
from gravityzone.simulator.errors import RpcError
from gravityzone.simulator.general import get_api_key_details
from gravityzone.simulator.state import utc_now_text

logger = logging.getLogger(__name__)

ENDPOINT = re.compile(r"^/api/v1\.0/jsonrpc/(?P<api>[a-z]+)/?$")

# The APIs whose methods the simulator serves. A key may have each one enabled or not.
SERVED_APIS = ("companies", "general")

MISSING_AUTH = "Authorization header not passed, HTTP Basic Authentication should be used."
INVALID_KEY = "Invalid API key. Please generate an API key in Control Center."

MAX_BODY_BYTES = 1_000_000


class Simulator:
    """Answer GravityZone API requests for one API key from a `TenantState`."""

    def __init__(self, *, api_key, tenant, enabled_apis=SERVED_APIS):
        self.api_key = api_key
        self.tenant = tenant
        self.enabled_apis = frozenset(enabled_apis)
        self.key_created_at = utc_now_text()
        self.methods = {
            "companies": companies.METHODS,
            "general": {"getApiKeyDetails": self._get_api_key_details},
        }

    def handle(self, path, authorization, body):
        """Return (HTTP status, JSON-able body) for one POST request."""
        match = ENDPOINT.match(path)
        if match is None or match["api"] not in self.methods:
            return HTTPStatus.NOT_FOUND, {"error": "Not found"}
        api = match["api"]

        auth_error = self._check_auth(authorization, api)
        if auth_error is not None:
            return HTTPStatus.UNAUTHORIZED, _error_body(None, auth_error)

        try:
            request = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return HTTPStatus.OK, _error_body(None, RpcError(PARSE_ERROR, "The request body is not valid JSON."))

        request_id = request.get("id") if isinstance(request, dict) else None
        try:
            method, params = _check_envelope(request)
            handler = self.methods[api].get(method)
            if handler is None:
                raise RpcError(METHOD_NOT_FOUND, f"Method '{method}' does not exist on the '{api}' API.")
            with self.tenant.lock:
                result = handler(self.tenant, params)
        except RpcError as error:
            return error.http_status, _error_body(request_id, error)

        return HTTPStatus.OK, {"id": request_id, "jsonrpc": "2.0", "result": result}

    def _check_auth(self, authorization, api):
        if not authorization or not authorization.startswith("Basic "):
            return RpcError(SERVER_ERROR, MISSING_AUTH, http_status=HTTPStatus.UNAUTHORIZED)
        try:
            user, _, _password = base64.b64decode(authorization[6:], validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            user = None
        if user != self.api_key:
            return RpcError(SERVER_ERROR, INVALID_KEY, http_status=HTTPStatus.UNAUTHORIZED)
        if api not in self.enabled_apis:
            return RpcError(
                SERVER_ERROR,
                f"The API key does not have the {api} API enabled.",
                http_status=HTTPStatus.UNAUTHORIZED,
            )
        return None

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


def _error_body(request_id, error):
    return {"id": request_id, "jsonrpc": "2.0", "error": error.to_error()}


class RequestHandler(BaseHTTPRequestHandler):
    server_version = "GravityZoneSimulator/0.1"

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY_BYTES:
            self._send(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, {"error": "Request body too large"})
            return
        body = self.rfile.read(length)
        status, payload = self.server.simulator.handle(self.path, self.headers.get("Authorization"), body)
        self._send(status, payload)

    def do_GET(self):
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, {"error": "Use POST"})

    def _send(self, status, payload):
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format, *args):
        # The default handler writes every request to stderr; route it through logging instead.
        logger.info("%s %s", self.address_string(), format % args)


class SimulatorServer(ThreadingHTTPServer):
    daemon_threads = True

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
